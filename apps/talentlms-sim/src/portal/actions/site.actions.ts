import { PortalStore } from '../../store/portal.store';
import { TIMELINE_EVENT_TYPES, TimelineEntity } from '../../store/timeline';
import { oneOf, Params, requiredId } from '../portal-params';
import { PortalViews } from '../portal-views';
import { PortalActions } from './portal-action';

/** What gettimeline's second argument may name, by parameter. */
const TIMELINE_FILTERS: [string, TimelineEntity][] = [
  ['user_id', 'user'],
  ['course_id', 'course'],
  ['branch_id', 'branch'],
  ['group_id', 'group'],
];

/** siteinfo, ratelimit (which never counts against the limit: see PortalApiService), gettimeline. */
export class SiteActions {
  readonly actions: PortalActions = {
    siteinfo: { run: () => this.views.siteInfo() },
    ratelimit: { run: () => this.views.rateLimit() },
    gettimeline: { run: (params) => this.timeline(params) },
  };

  constructor(
    private readonly store: PortalStore,
    private readonly views: PortalViews,
  ) {}

  /** The latest 200 entries of `event_type`, newest first, optionally about one record. */
  private timeline(params: Params) {
    const type = oneOf(params, 'event_type', TIMELINE_EVENT_TYPES);
    const filter = TIMELINE_FILTERS.find(([name]) => params[name] !== undefined);
    const about = filter && { entity: filter[1], id: requiredId(params, filter[0]) };
    return this.store.timeline.latest(type, about).map((e) => this.views.timelineEntry(e));
  }
}
