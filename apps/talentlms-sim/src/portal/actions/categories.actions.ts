import { PortalStore } from '../../store/portal.store';
import { PortalViews } from '../portal-views';
import { PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/** categories, getcategoryleafsandcourses. */
export class CategoriesActions {
  readonly actions: PortalActions = {
    categories: {
      endpoint: singleRecordEndpoint('categories', ['id']),
      run: (params) =>
        params.id === undefined
          ? [...this.store.categories()].map((c) => this.views.category(c))
          : this.views.categoryDetail(this.lookups.category(params)),
    },
    getcategoryleafsandcourses: {
      run: (params) => this.views.categoryLeafs(this.lookups.category(params)),
    },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}
}
