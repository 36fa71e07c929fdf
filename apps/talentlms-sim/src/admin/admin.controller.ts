import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { InvalidInputError } from '@talentsync/contracts';
import { CallCounter } from '../calls/call-counter.service';
import { SimClock } from '../clock/sim-clock.service';
import { FaultInjector } from '../faults/fault-injector.service';
import { FaultsDto } from '../faults/faults.dto';
import { RateLimiter } from '../limits/rate-limiter.service';
import { PortalStore } from '../store/portal.store';
import { SeedService } from '../store/seed.service';
import { TlsServer } from '../tls/tls-server.service';
import { ClockChangeDto, LimitsChangeDto, SeedQuery, UserWaitQuery } from './admin.dto';

/** The simulator's own API for tests and demos (README, "Admin API"); not under /api. */
@Controller('_sim')
export class AdminController {
  constructor(
    private readonly seeds: SeedService,
    private readonly calls: CallCounter,
    private readonly limiter: RateLimiter,
    private readonly faults: FaultInjector,
    private readonly clock: SimClock,
    private readonly tls: TlsServer,
    private readonly store: PortalStore,
  ) {}

  @Get('state')
  state() {
    return {
      ...this.seeds.state(),
      calls: this.calls.snapshot(),
      limits: this.limiter.snapshot(),
      faults: this.faults.current(),
      clock: this.clock.describe(),
      tls: { port: this.tls.port },
    };
  }

  /** Back to how the simulator started. */
  @Post('reset')
  @HttpCode(200)
  reset() {
    this.clock.reset();
    this.faults.resetToEnv();
    this.limiter.resetToEnv();
    this.calls.reset();
    this.seeds.reset();
    return { reset: true };
  }

  /** The body is checked whole by SeedService (400 naming every problem, nothing applied). */
  @Post('seed')
  @HttpCode(200)
  seed(@Body() body: unknown, @Query() query: SeedQuery) {
    return this.seeds.apply(body, query.mode ?? 'replace');
  }

  /**
   * Answers as soon as a user with this e-mail exists (at once if one does): the benchmark
   * times instant pushes with it. 404 when none appeared within `timeoutMs`.
   */
  @Get('users/wait')
  async waitForUser(@Query() query: UserWaitQuery) {
    const user = await this.store.whenUserExists(query.email, query.timeoutMs ?? 10_000);
    if (!user)
      throw new NotFoundException(
        `No user with that e-mail within ${query.timeoutMs ?? 10_000} ms`,
      );
    return { id: user.id, email: user.email, status: user.status };
  }

  @Get('calls')
  callCounts() {
    return this.calls.snapshot();
  }

  @Delete('calls')
  @HttpCode(204)
  resetCalls(): void {
    this.calls.reset();
  }

  @Get('faults')
  currentFaults() {
    return this.faults.current();
  }

  @Put('faults')
  setFaults(@Body() faults: FaultsDto) {
    this.faults.set(faults);
    return this.faults.current();
  }

  @Patch('faults')
  patchFaults(@Body() faults: FaultsDto) {
    this.faults.patch(faults);
    return this.faults.current();
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.clear();
  }

  @Get('limits')
  limits() {
    return this.limiter.snapshot();
  }

  @Put('limits')
  changeLimits(@Body() change: LimitsChangeDto) {
    this.limiter.change(change);
    return this.limiter.snapshot();
  }

  @Post('limits/reset')
  @HttpCode(200)
  resetWindows() {
    this.limiter.resetWindows();
    return this.limiter.snapshot();
  }

  @Get('clock')
  currentClock() {
    return this.clock.describe();
  }

  @Post('clock')
  @HttpCode(200)
  moveClock(@Body() change: ClockChangeDto) {
    if (change.now === undefined && change.advanceMs === undefined) {
      throw new InvalidInputError('Give advanceMs or now', { fields: { advanceMs: ['required'] } });
    }
    if (change.now !== undefined) this.clock.set(Date.parse(change.now));
    if (change.advanceMs !== undefined) this.clock.advance(change.advanceMs);
    return this.clock.describe();
  }

  @Delete('clock')
  @HttpCode(204)
  resetClock(): void {
    this.clock.reset();
  }
}
