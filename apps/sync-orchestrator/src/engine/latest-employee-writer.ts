import { Injectable, Logger } from '@nestjs/common';
import {
  changedValues,
  diffPerson,
  matchedAttributes,
  personFromEmployee,
  personFromLmsUser,
} from '@talentsync/mapping-rules';
import { CallMeter } from '../gateways/call-meter';
import { HrGateway } from '../gateways/hr.gateway';
import { LmsGateway, PortalRef } from '../gateways/lms.gateway';
import { EmployeeVersionGuard } from './employee-version-guard';

export interface PortalWrite {
  companyId: string;
  portal: PortalRef;
  portalHost: string;
  meter: CallMeter;
}

/** Rounds of "a newer version was reserved meanwhile, write the latest again" before giving up. */
const MAX_ROUNDS = 3;

/**
 * Brings one LMS user up to the employee's LATEST data, read from hr-service now, not from a
 * plan made earlier: used when a run adopts a user found by e-mail (a push may have created it
 * with newer data) and when the version guard says a newer write may have been undone. Writes
 * only what differs (no `usersetstatus active` for a user who is active) and goes through the
 * version guard like every other write. Resolves the version it wrote (undefined: none).
 */
@Injectable()
export class LatestEmployeeWriter {
  private readonly logger = new Logger(LatestEmployeeWriter.name);

  constructor(
    private readonly lms: LmsGateway,
    private readonly hr: HrGateway,
    private readonly guard: EmployeeVersionGuard,
  ) {}

  async write(
    target: PortalWrite,
    employeeId: string,
    lmsUserId: string,
  ): Promise<number | undefined> {
    const { companyId, portal, portalHost, meter } = target;
    let wrote: number | undefined;
    for (let round = 1; round <= MAX_ROUNDS; round += 1) {
      // The connector's cached copy: the same fields the plan used, no TalentLMS call when warm.
      const attributes = matchedAttributes(
        await this.lms.customFields(portal, meter, { cached: true }),
      );
      const employee = await this.hr.getEmployee(companyId, employeeId, {
        includeSsn: attributes.includes('ssn'),
      });
      if (!employee) return wrote; // gone from HR: the next run decides
      const stale = await this.guard.reserve(companyId, portalHost, employeeId, employee.version);
      if (stale) return wrote; // a newer writer has it
      const user = await this.lms.getUser(portal, lmsUserId, meter);
      if (!user) return wrote;
      const active = employee.status === 'active';
      if (active !== (user.status === 'active'))
        await this.lms.setStatus(portal, lmsUserId, active ? 'active' : 'inactive', meter);
      if (active) {
        const wanted = personFromEmployee(employee, attributes);
        const changes = diffPerson(personFromLmsUser(user, attributes), wanted);
        if (changes.length > 0)
          await this.lms.updateUser(portal, lmsUserId, changedValues(wanted, changes), meter);
      }
      wrote = employee.version;
      if (!(await this.guard.written(companyId, portalHost, employeeId, employee.version)))
        return wrote;
      this.logger.log(
        { employeeId, round },
        'a newer version was written meanwhile: writing the latest again',
      );
    }
    return wrote;
  }
}
