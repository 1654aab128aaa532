/** What the devnet adds to each node process: a heap limit and fewer malloc arenas. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_HEAP_MB, nodeProcessSettings } from '../src/cli/devnet.js';
import { NetworkError } from '../src/cli/init.js';

describe('nodeProcessSettings', () => {
  it('limits the heap and the malloc arenas by default', () => {
    expect(nodeProcessSettings({})).toEqual({
      execArgv: [`--max-old-space-size=${DEFAULT_NODE_HEAP_MB}`],
      env: { MALLOC_ARENA_MAX: '2' },
    });
  });

  it('takes WAYBILL_NODE_HEAP_MB, and 0 for V8 own limit', () => {
    expect(nodeProcessSettings({ WAYBILL_NODE_HEAP_MB: '512' }).execArgv).toEqual([
      '--max-old-space-size=512',
    ]);
    expect(nodeProcessSettings({ WAYBILL_NODE_HEAP_MB: '0' }).execArgv).toEqual([]);
  });

  it('leaves what the environment sets already', () => {
    expect(
      nodeProcessSettings({ NODE_OPTIONS: '--max-old-space-size=1024', MALLOC_ARENA_MAX: '8' }),
    ).toEqual({ execArgv: [], env: {} });
  });

  it('refuses a limit that is not a whole number of MB from 64, naming the variable', () => {
    for (const bad of ['abc', '-1', '12.5', '32', '']) {
      expect(() => nodeProcessSettings({ WAYBILL_NODE_HEAP_MB: bad })).toThrow(NetworkError);
      expect(() => nodeProcessSettings({ WAYBILL_NODE_HEAP_MB: bad })).toThrow(
        /WAYBILL_NODE_HEAP_MB must be 0 .* got "/,
      );
    }
  });
});
