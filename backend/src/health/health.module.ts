import { Module } from '@nestjs/common';
import { ChainModule } from '../chain/chain.module.js';
import { HealthController } from './health.controller.js';
import { MetricsController, NodeMetrics } from './metrics.controller.js';

// MempoolService comes from the global MempoolModule registered in the app module.
@Module({
  imports: [ChainModule],
  controllers: [HealthController, MetricsController],
  providers: [NodeMetrics],
})
export class HealthModule {}
