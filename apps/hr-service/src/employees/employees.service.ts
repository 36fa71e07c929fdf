import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  companyNotFound,
  ConflictError,
  EmployeeEvents,
  EmployeeEventType,
  EXTRA_ATTRIBUTE_NAMES,
  InvalidInputError,
  NotFoundError,
  SYNCED_EMPLOYEE_FIELDS,
  UpsertEmployeeFromLmsRequest,
  UpsertEmployeeFromLmsResponse,
} from '@talentsync/contracts';
import { preparedQuery, uniqueViolation } from '@talentsync/shared/database';
import { OutboxWriter } from '@talentsync/shared/messaging';
import {
  companyIsLive,
  inCompany,
  inCompanyCheckedByWork,
  readInCompany,
} from '../common/company-scope';
import { pageOf } from '../common/paging';
import {
  diffEmployee,
  EmployeeChange,
  flattenChange,
  NewEmployee,
  SyncedField,
  toEventPayload,
  todayUtc,
} from './employee-data';
import { employeeEvent } from './employee-events';
import { Employee } from './employee.entity';
import { hireValues, INSERT_EMPLOYEE, LOCK_EMPLOYEE, lockedEmployee } from './employee-writes';
import type { ListEmployeesQuery } from './employees.dto';

const EMAIL_INDEX = 'employees_email_uidx';

/** A 400 about one field, shaped like the validation pipe's. */
export function fieldError(field: string, message: string): InvalidInputError {
  return new InvalidInputError(`Invalid input: ${field}`, { fields: { [field]: [message] } });
}

const emailTaken = () =>
  new ConflictError('Another employee (not deleted) already has this e-mail address', {
    fields: { email: ['is already used by another employee that is not deleted'] },
  });

const REQUIRED_TO_CREATE = ['firstName', 'lastName', 'email', 'language', 'hireDate'] as const;

/**
 * Employees and their lifecycle. Every change that other services must hear about is written
 * with its employee.* event in one transaction (outbox), under a row lock, with the version
 * bumped by exactly one; a change that changes nothing writes and publishes nothing. Every
 * call names its company and runs in that company's transaction (RLS): an employee of another
 * company is NOT_FOUND.
 */
@Injectable()
export class EmployeesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async hire(companyId: string, input: NewEmployee): Promise<Employee> {
    return this.commit(companyId, (manager) => this.insertHire(manager, companyId, input, null), {
      checkedByWork: true,
    });
  }

  async get(companyId: string, id: string): Promise<Employee> {
    return readInCompany(this.dataSource, companyId, (manager) =>
      this.find(manager, companyId, id),
    );
  }

  /** The employee in the caller's company transaction; NOT_FOUND when it is not the company's. */
  async find(manager: EntityManager, companyId: string, id: string): Promise<Employee> {
    const employee = await manager.findOneBy(Employee, { companyId, id });
    if (!employee) throw new NotFoundError('Employee', id);
    return employee;
  }

  /** REST list: by name; deleted employees only when asked for by status. */
  async list(companyId: string, query: ListEmployeesQuery): Promise<[Employee[], number]> {
    return readInCompany(this.dataSource, companyId, (manager) => {
      const qb = manager
        .createQueryBuilder(Employee, 'e')
        .where('e.companyId = :companyId', { companyId });
      if (query.status) qb.andWhere('e.status = :status', { status: query.status });
      else qb.andWhere(`e.status <> 'deleted'`);
      if (query.email) qb.andWhere('lower(e.email) = lower(:email)', { email: query.email });
      const { skip, take } = pageOf(query);
      return qb
        .orderBy('e.lastName')
        .addOrderBy('e.firstName')
        .addOrderBy('e.id')
        .skip(skip)
        .take(take)
        .getManyAndCount();
    });
  }

  async update(companyId: string, id: string, change: EmployeeChange): Promise<Employee> {
    return this.changeOf(companyId, id, async (manager, employee) => {
      if (employee.status === 'deleted') throw this.notWhen(employee, 'changed');
      await this.applyChange(manager, employee, change);
      return employee;
    });
  }

  /**
   * Today or earlier: terminated now (employee.terminated). Later: stored as pending, the
   * employee stays active and TerminationScheduler applies it on that day. Only an active
   * employee can be terminated (409 otherwise: a second termination publishes nothing);
   * terminating again while one is pending moves its date.
   */
  async terminate(companyId: string, id: string, date?: string | null): Promise<Employee> {
    const terminationDate = date ?? todayUtc();
    return this.changeOf(companyId, id, async (manager, employee) => {
      if (employee.status !== 'active') throw this.notWhen(employee, 'terminated');
      if (terminationDate < employee.hireDate) {
        throw fieldError(
          'terminationDate',
          `terminationDate must not be before the hire date (${employee.hireDate})`,
        );
      }
      if (terminationDate > todayUtc()) {
        await this.store(manager, employee, { terminationDate });
      } else {
        await this.publish(manager, employee, EmployeeEvents.terminated, {
          status: 'terminated',
          terminationDate,
        });
      }
      return employee;
    });
  }

  /** Drops a termination that has not taken effect yet (409 when there is none). */
  async cancelTermination(companyId: string, id: string): Promise<Employee> {
    return this.changeOf(companyId, id, async (manager, employee) => {
      if (employee.status !== 'active' || employee.terminationDate === null) {
        throw new ConflictError(`Employee ${id} has no termination still to come`);
      }
      await this.store(manager, employee, { terminationDate: null });
      return employee;
    });
  }

  /**
   * A terminated employee becomes active again with a new hire date (default today):
   * employee.updated with `status: active` and changedFields ["hireDate"] (a rehire always
   * sets the hire date, so the orchestrator reactivates the LMS account).
   */
  async rehire(companyId: string, id: string, date?: string | null): Promise<Employee> {
    const hireDate = date ?? todayUtc();
    return this.changeOf(companyId, id, async (manager, employee) => {
      if (employee.status !== 'terminated') throw this.notWhen(employee, 'rehired');
      if (employee.terminationDate && hireDate < employee.terminationDate) {
        throw fieldError(
          'hireDate',
          `hireDate must not be before the termination date (${employee.terminationDate})`,
        );
      }
      await this.publish(
        manager,
        employee,
        EmployeeEvents.updated,
        { status: 'active', terminationDate: null, hireDate },
        ['hireDate'],
      );
      return employee;
    });
  }

  /** Soft delete: the row stays (status deleted) and its e-mail is free for a new hire. */
  async remove(companyId: string, id: string): Promise<Employee> {
    return this.changeOf(companyId, id, async (manager, employee) => {
      if (employee.status === 'deleted') throw this.notWhen(employee, 'deleted');
      await this.publish(manager, employee, EmployeeEvents.deleted, { status: 'deleted' });
      return employee;
    });
  }

  /**
   * hr.employees.upsert-from-lms (see the contract for the lookup order). A concurrent retry
   * of the same creation loses on a unique index and is answered from the winner.
   */
  async upsertFromLms(
    request: UpsertEmployeeFromLmsRequest,
  ): Promise<UpsertEmployeeFromLmsResponse> {
    return this.commit(request.companyId, (manager) => this.upsertIn(manager, request), {
      retryOnDuplicate: true,
    });
  }

  /**
   * Applies the terminations of `ids` that are still due, in their company's transaction
   * (TerminationScheduler finds them). Rows another replica holds are skipped, so each is
   * applied (and published) once. Resolves with how many.
   */
  async applyDueTerminations(
    companyId: string,
    ids: string[],
    today = todayUtc(),
  ): Promise<number> {
    return this.commit(companyId, async (manager) => {
      const due = await manager
        .createQueryBuilder(Employee, 'e')
        .where(`e.companyId = :companyId AND e.id IN (:...ids)`, { companyId, ids })
        .andWhere(`e.status = 'active' AND e.terminationDate <= :today`, { today })
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const employee of due) {
        await this.publish(manager, employee, EmployeeEvents.terminated, { status: 'terminated' });
      }
      return due.length;
    });
  }

  private async upsertIn(
    manager: EntityManager,
    request: UpsertEmployeeFromLmsRequest,
  ): Promise<UpsertEmployeeFromLmsResponse> {
    const { employeeId: _employeeId, companyId, sourceLmsUserId, ...change } = request;
    const existing = await this.findForUpsert(manager, request);
    if (!existing) {
      const missing = REQUIRED_TO_CREATE.filter((field) => change[field] === undefined);
      if (missing.length > 0) {
        throw new InvalidInputError(`Invalid input: ${missing.join(', ')}`, {
          fields: Object.fromEntries(
            missing.map((field) => [field, [`${field} is required to create an employee`]]),
          ),
        });
      }
      const employee = await this.insertHire(
        manager,
        request.companyId,
        change as NewEmployee,
        sourceLmsUserId,
      );
      const changedFields = SYNCED_EMPLOYEE_FIELDS.filter((field) => employee[field] !== null);
      return { employee: toEventPayload(employee), outcome: 'created', changedFields };
    }
    if (existing.status === 'deleted') throw this.notWhen(existing, 'changed');
    if (existing.sourceLmsUserId === null) {
      const holder = await manager.findOneBy(Employee, { companyId, sourceLmsUserId });
      if (!holder) await this.store(manager, existing, { sourceLmsUserId });
    }
    const changedFields = await this.applyChange(manager, existing, change);
    return {
      employee: toEventPayload(existing),
      outcome: changedFields.length > 0 ? 'updated' : 'unchanged',
      changedFields,
    };
  }

  private async findForUpsert(
    manager: EntityManager,
    request: UpsertEmployeeFromLmsRequest,
  ): Promise<Employee | null> {
    const { companyId } = request;
    if (request.employeeId) return this.lock(manager, companyId, request.employeeId);
    const lock = { mode: 'pessimistic_write' } as const;
    const bySource = await manager.findOne(Employee, {
      where: { companyId, sourceLmsUserId: request.sourceLmsUserId },
      lock,
    });
    if (bySource || !request.email) return bySource;
    return manager
      .createQueryBuilder(Employee, 'e')
      .where(`e.companyId = :companyId AND lower(e.email) = lower(:email)`, {
        companyId,
        email: request.email,
      })
      .andWhere(`e.status <> 'deleted'`)
      .setLock('pessimistic_write')
      .getOne();
  }

  private async insertHire(
    manager: EntityManager,
    companyId: string,
    input: NewEmployee,
    sourceLmsUserId: string | null,
  ): Promise<Employee> {
    const now = new Date();
    const employee = manager.create(Employee, {
      ...Object.fromEntries(EXTRA_ATTRIBUTE_NAMES.map((name) => [name, null])),
      ...flattenChange(input),
      id: randomUUID(),
      companyId,
      status: 'active',
      terminationDate: null,
      sourceLmsUserId,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    // Plain SQL (TypeORM's insert builds its statement per call), the company's check in it.
    const inserted = await preparedQuery<unknown[]>(manager, INSERT_EMPLOYEE, hireValues(employee));
    if (inserted.length === 0) throw companyNotFound(companyId);
    await this.outbox.add(manager, employeeEvent(EmployeeEvents.hired, employee));
    return employee;
  }

  /** Writes what `change` really changes, with employee.updated; nothing if nothing changes. */
  private async applyChange(
    manager: EntityManager,
    employee: Employee,
    change: EmployeeChange,
  ): Promise<SyncedField[]> {
    const { changes, changedFields } = diffEmployee(employee, change);
    if (changedFields.length === 0) return [];
    const hireDate = changes.hireDate ?? employee.hireDate;
    if (employee.terminationDate && hireDate > employee.terminationDate) {
      throw fieldError(
        'hireDate',
        `hireDate must not be after the termination date (${employee.terminationDate})`,
      );
    }
    await this.publish(manager, employee, EmployeeEvents.updated, changes, changedFields);
    return changedFields;
  }

  /** Stores `changes` with the next version and records their event, in the caller's transaction. */
  private async publish(
    manager: EntityManager,
    employee: Employee,
    type: EmployeeEventType,
    changes: Partial<Employee>,
    changedFields?: SyncedField[],
  ): Promise<void> {
    await this.store(manager, employee, { ...changes, version: employee.version + 1 });
    await this.outbox.add(manager, employeeEvent(type, employee, changedFields));
  }

  /** Stores changes that publish nothing (a pending termination, the LMS source key). */
  private async store(
    manager: EntityManager,
    employee: Employee,
    changes: Partial<Employee>,
  ): Promise<void> {
    Object.assign(employee, changes, { updatedAt: new Date() });
    await manager.update(
      Employee,
      { id: employee.id },
      { ...changes, updatedAt: employee.updatedAt },
    );
  }

  /**
   * The employee, its row locked until commit; the first statement of a change's work: it
   * checks and holds the company too (liveCompanyHeld), so the transaction need not first.
   */
  private async lock(manager: EntityManager, companyId: string, id: string): Promise<Employee> {
    const [row] = await preparedQuery<Employee[]>(manager, LOCK_EMPLOYEE, [companyId, id]);
    if (row) return lockedEmployee(row);
    if (!(await companyIsLive(manager, companyId))) throw companyNotFound(companyId);
    throw new NotFoundError('Employee', id);
  }

  /**
   * Runs `work` on the employee locked (`lock`, the work's first statement: it checks the
   * company too) in one transaction of the company, as `commit`.
   */
  private changeOf<T>(
    companyId: string,
    id: string,
    work: (manager: EntityManager, employee: Employee) => Promise<T>,
  ): Promise<T> {
    return this.commit(
      companyId,
      async (manager) => work(manager, await this.lock(manager, companyId, id)),
      { checkedByWork: true },
    );
  }

  private notWhen(employee: Employee, action: string): ConflictError {
    return new ConflictError(
      `Employee ${employee.id} is ${employee.status} and cannot be ${action}`,
      { status: employee.status },
    );
  }

  /**
   * Runs `work` in one transaction of the company (checked live and held first, or by the
   * work's first statement with `checkedByWork`: insertHire, lock), maps a taken e-mail to 409,
   * then publishes at once. With
   * `retryOnDuplicate`, a unique violation (a concurrent creation of the same person won) gets
   * one more try, which finds what the winner wrote.
   */
  private async commit<T>(
    companyId: string,
    work: (manager: EntityManager) => Promise<T>,
    { retryOnDuplicate = false, checkedByWork = false } = {},
  ): Promise<T> {
    const scope = checkedByWork ? inCompanyCheckedByWork : inCompany;
    for (let attempt = 1; ; attempt += 1) {
      let result: T;
      try {
        result = await scope(this.dataSource, companyId, work);
      } catch (error) {
        const duplicate = uniqueViolation(error);
        if (duplicate?.constraint && retryOnDuplicate && attempt === 1) continue;
        if (duplicate?.constraint === EMAIL_INDEX) throw emailTaken();
        throw error;
      }
      this.outbox.flush();
      return result;
    }
  }
}
