/** The network's test control (see config/test-controls.ts): a partition of this node. */
import { Controller, HttpCode, HttpException, HttpStatus, Post, Query } from '@nestjs/common';
import { P2pService } from './p2p.service.js';

const MAX_ISOLATION_MS = 600_000;

@Controller('control')
export class P2pControlController {
  constructor(private readonly p2p: P2pService) {}

  /** `POST /control/isolate?ms=10000`: a network partition of this node for `ms`. */
  @Post('isolate')
  @HttpCode(200)
  isolate(@Query('ms') ms: string | undefined): { until: string; peers: number } {
    const duration = Number(ms);
    if (!Number.isInteger(duration) || duration < 1 || duration > MAX_ISOLATION_MS) {
      throw new HttpException(
        {
          code: 'BAD_REQUEST',
          message: `ms=${String(ms)}: expected a whole number of milliseconds from 1 to ${MAX_ISOLATION_MS}`,
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    return this.p2p.isolate(duration);
  }
}
