/**
 * The storage test control (see config/test-controls.ts): makes the database refuse to grow, as a
 * full disk does. SQLite's `max_page_count` set to the file's current size gives the same
 * SQLITE_FULL a full disk gives, on any machine and without root.
 */
import { Controller, HttpCode, HttpException, HttpStatus, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WriteQueue } from './write-queue.js';

@Controller('control')
export class StorageControlController {
  /** The limit before the first fill (SQLite's default), restored by `full=0`. */
  private normalMaxPages: number | undefined;

  constructor(
    @InjectDataSource() private readonly writer: DataSource,
    private readonly writes: WriteQueue,
  ) {}

  /** `POST /control/disk?full=1` fills the disk (for this database); `full=0` frees it. */
  @Post('disk')
  @HttpCode(200)
  async disk(
    @Query('full') full: string | undefined,
  ): Promise<{ full: boolean; maxPages: number }> {
    if (full !== '1' && full !== '0') {
      throw new HttpException(
        { code: 'BAD_REQUEST', message: `full=${String(full)}: expected 1 (fill) or 0 (free)` },
        HttpStatus.BAD_REQUEST,
      );
    }
    // Between blocks, so that no block is half-way through its transaction when the limit moves.
    const maxPages = await this.writes.run(async () => {
      const pragma = async (sql: string) =>
        (await this.writer.query<{ max_page_count: number }[]>(sql))[0]?.max_page_count ?? 0;
      this.normalMaxPages ??= await pragma('PRAGMA max_page_count');
      // SQLite raises a limit below the file's size to that size: 1 means "no more pages".
      return pragma(`PRAGMA max_page_count = ${full === '1' ? 1 : this.normalMaxPages}`);
    });
    return { full: full === '1', maxPages };
  }
}
