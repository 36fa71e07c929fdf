import { PortalViews } from '../portal-views';
import { PortalActions } from './portal-action';

/** siteinfo and ratelimit (which never counts against the limit: see PortalApiService). */
export class SiteActions {
  readonly actions: PortalActions = {
    siteinfo: { run: () => this.views.siteInfo() },
    ratelimit: { run: () => this.views.rateLimit() },
  };

  constructor(private readonly views: PortalViews) {}
}
