/**
 * GS1 standards on the node: the EPCIS 2.0 REST binding (query, capture of signed events) and the
 * GS1 Digital Link resolver (docs/epcis.md, docs/digital-link.md).
 */
import { Module } from '@nestjs/common';
import { ApiModule } from '../api/api.module.js';
import { ChainModule } from '../chain/chain.module.js';
import { CaptureService } from './capture.service.js';
import { DigitalLinkController } from './digital-link.controller.js';
import { EpcisEventsService } from './epcis-events.service.js';
import { EpcisController } from './epcis.controller.js';

@Module({
  imports: [ChainModule, ApiModule],
  providers: [EpcisEventsService, CaptureService],
  controllers: [EpcisController, DigitalLinkController],
})
export class EpcisModule {}
