/** Liveness and readiness for orchestrators: ready once the database is open and the chain checked. */
import { Controller, Get, HttpCode, HttpException, HttpStatus } from '@nestjs/common';
import { ChainService } from '../chain/chain.service.js';

@Controller()
export class HealthController {
  constructor(private readonly chain: ChainService) {}

  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  readyz(): { status: 'ready'; height: number } {
    if (!this.chain.ready)
      throw new HttpException({ status: 'starting' }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', height: this.chain.height };
  }
}
