import { PortalStore } from '../../store/portal.store';
import { optionalText } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalActions, singleRecordEndpoint } from './portal-action';
import { PortalLookups } from './portal-lookups';

/** categories, buycategorycourses, categoryleafsandcourses. */
export class CategoriesActions {
  readonly actions: PortalActions = {
    categories: {
      endpoint: singleRecordEndpoint('categories', ['id']),
      run: (params) =>
        params.id === undefined
          ? [...this.store.categories()].map((c) => this.views.category(c))
          : this.views.categoryDetail(this.lookups.category(params)),
    },
    buycategorycourses: {
      run: (params) => {
        this.lookups.user(params);
        const category = this.lookups.category(params, 'category_id');
        return this.views.paypalUrl(category, optionalText(params, 'coupon'));
      },
    },
    // The manual's summary and the public clients call it categoryleafsandcourses.
    categoryleafsandcourses: {
      run: (params) => this.views.categoryLeafs(this.lookups.category(params)),
    },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
    private readonly lookups: PortalLookups,
  ) {}
}
