import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { InvalidInputError } from '@talentsync/contracts';
import { FaultsDto } from '../faults/faults.dto';
import { Portal } from '../portals/portal';
import { PortalRegistry } from '../portals/portal-registry.service';
import { TlsServer } from '../tls/tls-server.service';
import { AdminTokenGuard } from './admin-token.guard';
import {
  ClockChangeDto,
  LimitsChangeDto,
  NewPortalDto,
  SeedQuery,
  UserWaitQuery,
} from './admin.dto';

/** `x` and `portals/:portal/x`: each admin route acts on the default portal or a named one. */
const each = (path: string) => [path, `portals/:portal/${path}`];

/**
 * The simulator's own API for tests and demos (README, "Admin API"); not under /api. Every
 * route exists as `/_sim/<x>` (the default portal) and `/_sim/portals/<name>/<x>`.
 */
@Controller('_sim')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(
    private readonly portals: PortalRegistry,
    private readonly tls: TlsServer,
  ) {}

  private portal(name: string | undefined): Portal {
    return this.portals.get(name);
  }

  @Get('portals')
  list() {
    return this.portals.list().map((portal) => portal.summary());
  }

  /** A new portal with its own key, plan and seed (400 naming what is wrong, nothing made). */
  @Post('portals')
  create(@Body() request: NewPortalDto) {
    return this.portals.create(request).summary();
  }

  @Get(['portals/:portal', ...each('state')])
  state(@Param('portal') name?: string) {
    return { ...this.portal(name).state(), tls: { port: this.tls.port } };
  }

  @Delete('portals/:portal')
  @HttpCode(204)
  remove(@Param('portal') name: string): void {
    this.portals.delete(name);
  }

  /** Back to how the portal started. */
  @Post(each('reset'))
  @HttpCode(200)
  reset(@Param('portal') name?: string) {
    this.portal(name).reset();
    return { reset: true };
  }

  /** The body is checked whole (400 naming every problem, nothing applied). */
  @Post(each('seed'))
  @HttpCode(200)
  seed(@Body() body: unknown, @Query() query: SeedQuery, @Param('portal') name?: string) {
    return this.portal(name).applySeed(body, query.mode ?? 'replace');
  }

  /**
   * Answers as soon as a user with this e-mail exists (at once if one does): the benchmark
   * times instant pushes with it. 404 when none appeared within `timeoutMs`.
   */
  @Get(each('users/wait'))
  async waitForUser(@Query() query: UserWaitQuery, @Param('portal') name?: string) {
    const timeoutMs = query.timeoutMs ?? 10_000;
    const user = await this.portal(name).store.whenUserExists(query.email, timeoutMs);
    if (!user) throw new NotFoundException(`No user with that e-mail within ${timeoutMs} ms`);
    return { id: user.id, email: user.email, status: user.status };
  }

  @Get(each('calls'))
  callCounts(@Param('portal') name?: string) {
    return this.portal(name).calls.snapshot();
  }

  @Delete(each('calls'))
  @HttpCode(204)
  resetCalls(@Param('portal') name?: string): void {
    this.portal(name).calls.reset();
  }

  @Get(each('faults'))
  currentFaults(@Param('portal') name?: string) {
    return this.portal(name).faults.current();
  }

  @Put(each('faults'))
  setFaults(@Body() faults: FaultsDto, @Param('portal') name?: string) {
    const portal = this.portal(name);
    portal.faults.set(faults);
    return portal.faults.current();
  }

  @Patch(each('faults'))
  patchFaults(@Body() faults: FaultsDto, @Param('portal') name?: string) {
    const portal = this.portal(name);
    portal.faults.patch(faults);
    return portal.faults.current();
  }

  @Delete(each('faults'))
  @HttpCode(204)
  clearFaults(@Param('portal') name?: string): void {
    this.portal(name).faults.clear();
  }

  @Get(each('limits'))
  limits(@Param('portal') name?: string) {
    return this.portal(name).limiter.snapshot();
  }

  @Put(each('limits'))
  changeLimits(@Body() change: LimitsChangeDto, @Param('portal') name?: string) {
    const portal = this.portal(name);
    portal.limiter.change(change);
    return portal.limiter.snapshot();
  }

  @Post(each('limits/reset'))
  @HttpCode(200)
  resetWindows(@Param('portal') name?: string) {
    const portal = this.portal(name);
    portal.limiter.resetWindows();
    return portal.limiter.snapshot();
  }

  @Get(each('clock'))
  currentClock(@Param('portal') name?: string) {
    return this.portal(name).clock.describe();
  }

  @Post(each('clock'))
  @HttpCode(200)
  moveClock(@Body() change: ClockChangeDto, @Param('portal') name?: string) {
    if (change.now === undefined && change.advanceMs === undefined) {
      throw new InvalidInputError('Give advanceMs or now', { fields: { advanceMs: ['required'] } });
    }
    const clock = this.portal(name).clock;
    if (change.now !== undefined) clock.set(Date.parse(change.now));
    if (change.advanceMs !== undefined) clock.advance(change.advanceMs);
    return clock.describe();
  }

  @Delete(each('clock'))
  @HttpCode(204)
  resetClock(@Param('portal') name?: string): void {
    this.portal(name).clock.reset();
  }
}
