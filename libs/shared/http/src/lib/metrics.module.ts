import { Controller, Get, Module, Res } from '@nestjs/common';
import { PrometheusController, PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from './public.decorator';

@Public()
@Controller()
class MetricsController extends PrometheusController {
  @Get()
  override async index(@Res({ passthrough: true }) response: Response) {
    return super.index(response);
  }
}

/** `GET /metrics` in Prometheus text format: process metrics plus each service's own. */
@Module({
  imports: [
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: true },
    }),
  ],
})
export class MetricsModule {}
