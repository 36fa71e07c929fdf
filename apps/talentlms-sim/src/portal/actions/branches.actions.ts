import { STATUSES } from '../../store/portal.model';
import { PortalStore } from '../../store/portal.store';
import { oneOf, optionalText, Params, required } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/**
 * branches, createbranch, deletebranch, branchsetstatus, addusertobranch, removeuserfrombranch,
 * addcoursetobranch.
 */
export class BranchesActions {
  readonly actions: PortalActions = {
    branches: {
      endpoint: singleRecordEndpoint('branches', ['id']),
      run: (params) =>
        params.id === undefined
          ? [...this.store.branches()].map((b) => this.views.branch(b))
          : this.views.branchDetail(this.lookups.branch(params, 'id')),
    },
    createbranch: {
      postOnly: true,
      run: (params) =>
        this.views.branch(
          this.store.createBranch({
            name: required(params, 'name'),
            description: optionalText(params, 'description') ?? '',
            // A branch answers its language as a code (`en`), as given.
            language: optionalText(params, 'language') ?? 'en',
            timezone: optionalText(params, 'timezone') ?? this.store.site.timezone,
          }),
        ),
    },
    deletebranch: this.lookups.deleteAction(
      (params) => this.lookups.branch(params),
      (record) => this.store.deleteBranch(record),
    ),
    branchsetstatus: {
      run: (params) => {
        const branch = this.lookups.branch(params);
        this.store.setBranchStatus(branch, oneOf(params, 'status', STATUSES));
        return { branch_id: String(branch.id), status: branch.status };
      },
    },
    addusertobranch: { run: (params) => this.membership(params, 'add') },
    removeuserfrombranch: { run: (params) => this.membership(params, 'remove') },
    addcoursetobranch: {
      run: (params) => {
        const course = this.lookups.course(params);
        const branch = this.lookups.branch(params);
        this.store.addCourseToBranch(course, branch);
        return {
          course_id: String(course.id),
          branch_id: String(branch.id),
          branch_name: branch.name,
        };
      },
    },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}

  private membership(params: Params, change: 'add' | 'remove') {
    const user = this.lookups.user(params);
    const branch = this.lookups.branch(params);
    if (change === 'add') this.store.addToBranch(user, branch);
    else this.store.removeFromBranch(user, branch);
    return { user_id: String(user.id), branch_id: String(branch.id), branch_name: branch.name };
  }
}
