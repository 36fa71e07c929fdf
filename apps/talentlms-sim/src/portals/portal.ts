import { createHash, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { CallCounter } from '../calls/call-counter.service';
import { SimClock } from '../clock/sim-clock.service';
import type { PortalSettings } from '../config/sim.env';
import { FaultInjector } from '../faults/fault-injector.service';
import { RateLimiter } from '../limits/rate-limiter.service';
import { BranchesActions } from '../portal/actions/branches.actions';
import { CategoriesActions } from '../portal/actions/categories.actions';
import { CoursesActions } from '../portal/actions/courses.actions';
import { GroupsActions } from '../portal/actions/groups.actions';
import { PortalActions } from '../portal/actions/portal-action';
import { PortalLookups } from '../portal/actions/portal-lookups';
import { SiteActions } from '../portal/actions/site.actions';
import { UnitsActions } from '../portal/actions/units.actions';
import { UsersActions } from '../portal/actions/users.actions';
import { PortalViews } from '../portal/portal-views';
import {
  buildPortal,
  isPlain,
  mergeSeed,
  parseSeed,
  PortalSeed,
  summarize,
  toSeed,
} from '../store/portal-seed';
import { PortalStore } from '../store/portal.store';
import { Seed } from '../store/seed-schema';

export type SeedMode = 'replace' | 'merge';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * One TalentLMS portal of the simulator: its data, API key, clock, plan limits, faults, call
 * log and actions, none shared with another portal. `reset()` returns it to its start seed.
 */
export class Portal {
  readonly clock = new SimClock();
  readonly store: PortalStore;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly calls = new CallCounter();
  readonly actions: PortalActions;
  private readonly keyDigest: Buffer;
  /**
   * The start seed as deflated JSON: a reset can never see it changed, and a thousand portals
   * keep a tenth of what their seeds took as text.
   */
  private readonly initialSeed: Uint8Array;

  /**
   * `seed` must have passed parseSeed; one that does not build (repeated e-mails, missing
   * references) throws a SeedError from here, before the portal exists anywhere.
   */
  constructor(
    readonly name: string,
    readonly settings: PortalSettings,
    seed: Seed,
    /** The domain when the seed names none (the default portal: example.talentlms.com). */
    private readonly domain?: string,
  ) {
    // A copy of exactly its length: zlib's answer is a view of a 16 KB output chunk.
    this.initialSeed = new Uint8Array(deflateRawSync(JSON.stringify(seed)));
    this.store = new PortalStore(settings, this.clock);
    this.limiter = new RateLimiter(settings, this.clock);
    this.faults = new FaultInjector(settings);
    const views = new PortalViews(this.store, this.limiter);
    const lookups = new PortalLookups(this.store);
    this.actions = {
      ...new UsersActions(this.store, views, lookups).actions,
      ...new CoursesActions(this.store, views, lookups).actions,
      ...new BranchesActions(this.store, views, lookups).actions,
      ...new GroupsActions(this.store, views, lookups).actions,
      ...new CategoriesActions(this.store, views, lookups).actions,
      ...new UnitsActions(this.store, views, lookups).actions,
      ...new SiteActions(this.store, views).actions,
    };
    this.keyDigest = digest(settings.SIM_API_KEY);
    this.store.replace(this.build(seed));
  }

  /** Whether an API key (the HTTP Basic user name) is this portal's. */
  acceptsKey(key: string): boolean {
    return timingSafeEqual(digest(key), this.keyDigest);
  }

  /** Back to how it started: its start seed, no faults, its limits, zero counts, real time. */
  reset(): void {
    this.clock.reset();
    this.faults.resetToEnv();
    this.limiter.resetToEnv();
    this.calls.reset();
    this.store.replace(this.build(JSON.parse(inflateRawSync(this.initialSeed).toString()) as Seed));
  }

  /** Replaces (or merges into) the portal's data; a bad seed changes nothing. */
  applySeed(raw: unknown, mode: SeedMode) {
    const whole =
      mode === 'merge' && isPlain(raw)
        ? mergeSeed(toSeed(this.store.snapshot, { passwords: true }), raw)
        : raw;
    const data = this.build(parseSeed(whole));
    this.store.replace(data);
    return summarize(data);
  }

  /** The data in seed format (POST /_sim/seed takes it back). */
  data(): PortalSeed {
    return toSeed(this.store.snapshot);
  }

  /** What GET /_sim/state shows besides the data. */
  state() {
    return {
      ...this.data(),
      calls: this.calls.snapshot(),
      limits: this.limiter.snapshot(),
      faults: this.faults.current(),
      clock: this.clock.describe(),
    };
  }

  /** One line of GET /_sim/portals. */
  summary() {
    return {
      name: this.name,
      domain: this.store.site.domain,
      ...summarize(this.store.snapshot),
      calls: this.calls.snapshot().total,
    };
  }

  private build(seed: Seed) {
    return buildPortal(seed, {
      dateFormat: this.settings.SIM_DATE_FORMAT,
      nowSec: this.clock.nowSec(),
      domain: this.domain,
    });
  }
}
