import { PortalStore } from '../../store/portal.store';
import { optionalText, Params, required } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalErrors } from '../portal.errors';
import { PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/** groups, creategroup, deletegroup, addusertogroup, removeuserfromgroup, addcoursetogroup. */
export class GroupsActions {
  readonly actions: PortalActions = {
    groups: {
      endpoint: singleRecordEndpoint('groups', ['id']),
      run: (params) =>
        params.id === undefined
          ? [...this.store.groups()].map((g) => this.views.group(g))
          : this.views.groupDetail(this.lookups.group(params, 'id')),
    },
    creategroup: {
      postOnly: true,
      run: (params) =>
        this.views.group(
          this.store.createGroup({
            name: required(params, 'name'),
            description: optionalText(params, 'description') ?? '',
            key: optionalText(params, 'key'),
            price: optionalText(params, 'price') ?? '$0',
          }),
        ),
    },
    deletegroup: this.lookups.deleteAction(
      (params) => this.lookups.group(params),
      (record) => this.store.deleteGroup(record),
    ),
    addusertogroup: {
      run: (params) => {
        const user = this.lookups.user(params);
        const group = this.byKey(params);
        this.store.addToGroup(user, group);
        return { user_id: String(user.id), group_id: String(group.id), group_name: group.name };
      },
    },
    removeuserfromgroup: {
      run: (params) => {
        const user = this.lookups.user(params);
        const group = this.lookups.group(params);
        this.store.removeFromGroup(user, group);
        return { user_id: String(user.id), group_id: String(group.id), group_name: group.name };
      },
    },
    addcoursetogroup: {
      run: (params) => {
        const course = this.lookups.course(params);
        const group = this.lookups.group(params);
        this.store.addCourseToGroup(course, group);
        return {
          course_id: String(course.id),
          group_id: String(group.id),
          group_name: group.name,
        };
      },
    },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}

  /** addusertogroup names the group by its key, as a learner joining it would. */
  private byKey(params: Params) {
    const group = this.store.groupByKey(required(params, 'group_key'));
    if (!group) throw PortalErrors.noGroupWithKey();
    return group;
  }
}
