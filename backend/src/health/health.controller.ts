/**
 * Liveness and readiness for orchestrators: ready once the database is open and the chain checked,
 * and not while the disk refuses blocks.
 */
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

  /**
   * 200 `{ status: 'ready', height }`; 503 `{ status: 'starting' }` while the chain is opened, and
   * 503 `{ status: 'storage-fault', code, message, ... }` while blocks cannot be written.
   */
  @Get('readyz')
  readyz(): { status: 'ready'; height: number } {
    if (!this.chain.ready)
      throw new HttpException({ status: 'starting' }, HttpStatus.SERVICE_UNAVAILABLE);
    const fault = this.chain.storageFault;
    if (fault) {
      throw new HttpException(
        {
          status: 'storage-fault',
          code: fault.code,
          message: `block ${fault.height} cannot be stored: ${fault.message}`,
          height: this.chain.height,
          since: fault.since.toISOString(),
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ready', height: this.chain.height };
  }
}
