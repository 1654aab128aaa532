/**
 * The node's entry point behind a wall clock that may be wrong: when the node's data directory
 * holds `clock-skew-ms`, `Date` runs that many milliseconds ahead (or behind), as on a host whose
 * clock drifted. Monotonic time (`performance.now`) is untouched, as it is on such a host. Without
 * the file this is the node itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SKEW_FILE } from './schedule.js';

function readSkew(): number {
  const dir = process.env.WAYBILL_DATA_DIR;
  if (!dir) return 0;
  try {
    return Number(readFileSync(join(dir, SKEW_FILE), 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

const skew = readSkew();
if (skew !== 0) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class SkewedDate extends RealDate {
    constructor(...args: ConstructorParameters<DateConstructor> | []) {
      if (args.length === 0) super(realNow() + skew);
      else super(...args);
    }

    static override now(): number {
      return realNow() + skew;
    }
  }
  globalThis.Date = SkewedDate as DateConstructor;
  process.stderr.write(`chaos: this node's clock runs ${skew} ms off\n`);
}

await import('@waybill/node/main');
