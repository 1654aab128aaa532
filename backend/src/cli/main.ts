#!/usr/bin/env node
/** The `waybill` command line: keys, networks, a node, submissions and offline verification. */
import '../polyfill.js';
import '../native-hash.js';
import 'reflect-metadata';
import { createProgram } from './program.js';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`waybill: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
