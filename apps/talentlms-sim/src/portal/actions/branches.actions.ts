import { PortalStore } from '../../store/portal.store';
import { Params } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/** branches, addusertobranch, removeuserfrombranch, addcoursetobranch. */
export class BranchesActions {
  readonly actions: PortalActions = {
    branches: {
      endpoint: singleRecordEndpoint('branches', ['id']),
      run: (params) =>
        params.id === undefined
          ? [...this.store.branches()].map((b) => this.views.branch(b))
          : this.views.branchDetail(this.lookups.branch(params, 'id')),
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
