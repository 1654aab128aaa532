import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A separate process: inside vitest, `graphql` would load twice (ESM and CommonJS) and Nest's
// schema builder would not recognize our scalar.
const script = fileURLToPath(new URL('../dist/api/write-schema.js', import.meta.url));

describe('schema.gql', () => {
  it('is what the resolvers generate (run `pnpm --filter @waybill/node schema` after changing the API)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--check']);
    expect(stdout).toMatch(/up to date/);
  });
});
