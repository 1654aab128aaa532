#!/usr/bin/env node
// Writes test/vectors/protocol.json from the built protocol code (run `pnpm build` first).
import { writeFileSync } from 'node:fs';
import { buildVectors } from '../dist/testing/vectors.js';

const target = new URL('../test/vectors/protocol.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(buildVectors(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
