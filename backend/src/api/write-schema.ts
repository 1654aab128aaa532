/**
 * Writes backend/schema.gql (`pnpm schema`), or with `--check` fails when the committed file
 * differs from what the resolvers generate.
 */
import '../polyfill.js';
import '../native-hash.js';
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchemaText } from './schema.js';

const target = fileURLToPath(new URL('../../schema.gql', import.meta.url));
const text = await buildSchemaText();
if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== text) {
    process.stderr.write(
      `${target} is out of date: run \`pnpm --filter @waybill/node schema\` and commit it\n`,
    );
    process.exit(1);
  }
  process.stdout.write('schema.gql is up to date\n');
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
