import {
  BranchRecord,
  CategoryRecord,
  CourseRecord,
  GroupRecord,
  UnitRecord,
  UnitType,
  UserRecord,
} from '../../store/portal.model';
import { PortalStore } from '../../store/portal.store';
import { Params, requiredId } from '../portal-params';
import { PortalErrors } from '../portal.errors';
import { operationCompleted, PortalAction } from './portal-action';

/** Records named by a call's parameters; 404 with the portal's message when missing. */
export class PortalLookups {
  constructor(private readonly store: PortalStore) {}

  user(params: Params, name = 'user_id'): UserRecord {
    return (
      this.store.userById(requiredId(params, name)) ?? this.notFound(PortalErrors.userNotFound)
    );
  }

  course(params: Params, name = 'course_id'): CourseRecord {
    return (
      this.store.course(requiredId(params, name)) ?? this.notFound(PortalErrors.courseNotFound)
    );
  }

  branch(params: Params, name = 'branch_id'): BranchRecord {
    return (
      this.store.branch(requiredId(params, name)) ?? this.notFound(PortalErrors.branchNotFound)
    );
  }

  group(params: Params, name = 'group_id'): GroupRecord {
    return this.store.group(requiredId(params, name)) ?? this.notFound(PortalErrors.groupNotFound);
  }

  category(params: Params, name = 'id'): CategoryRecord {
    return (
      this.store.category(requiredId(params, name)) ?? this.notFound(PortalErrors.categoryNotFound)
    );
  }

  /** A unit by its id; with `type`, only a unit of that type (a test_id names a Test). */
  unit(params: Params, name: string, type?: UnitType): UnitRecord {
    const unit = this.store.unit(requiredId(params, name));
    if (!unit || (type && unit.type !== type)) throw PortalErrors.unitNotFound();
    return unit;
  }

  /** The optional `deleted_by_user_id` of a delete (the manual's): a user of the portal. */
  checkDeleter(params: Params): void {
    if (params.deleted_by_user_id !== undefined) this.user(params, 'deleted_by_user_id');
  }

  /**
   * deletecourse, deletebranch, deletegroup: POST, the record by its id, then the optional
   * deleter, then the manual's "Operation completed successfully".
   */
  deleteAction<T>(find: (params: Params) => T, remove: (record: T) => void): PortalAction {
    return {
      postOnly: true,
      run: (params) => {
        const record = find(params);
        this.checkDeleter(params);
        remove(record);
        return operationCompleted();
      },
    };
  }

  private notFound(error: () => Error): never {
    throw error();
  }
}
