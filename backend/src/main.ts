/** Starts a node from environment variables (see `waybill start --help`). */
import './polyfill.js';
import './native-hash.js';
import 'reflect-metadata';
import { startNode } from './node.js';

startNode(process.env).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
