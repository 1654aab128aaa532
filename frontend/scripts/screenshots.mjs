#!/usr/bin/env node
// The README's screenshots, taken from the running explorer against a running devnet:
//   node scripts/screenshots.mjs [--url http://127.0.0.1:3000] [--devnet ../.waybill/devnet]
//     [--out ../docs/screenshots] [--keystore rotterdam-cold-hub-staff-1.json]
// It reads the devnet's featured things (seed.json) and a demo staff keystore, so the pictures
// show real data: the dashboard, a block, a transaction, a product (desktop and 390 px), a recalled
// lot and the staff inbox. Chromium: CHROMIUM_PATH or /usr/bin/chromium.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    devnet: { type: 'string', default: resolve(import.meta.dirname, '../../.waybill/devnet') },
    out: { type: 'string', default: resolve(import.meta.dirname, '../../docs/screenshots') },
    // On a fresh devnet the cold hub has the pallet in transit waiting in its inbox.
    keystore: { type: 'string', default: 'rotterdam-cold-hub-staff-1.json' },
  },
});
const base = values.url.replace(/\/$/, '');
const featured = JSON.parse(readFileSync(join(values.devnet, 'seed.json'), 'utf8')).summary
  .featured;
const network = JSON.parse(readFileSync(join(values.devnet, 'network.json'), 'utf8'));
const nodeUrl = `http://${network.host}:${network.nodes[0].httpPort}/graphql`;
const path = (epc) => epc.replace('https://id.gs1.org', '');

async function gql(query, variables = {}) {
  const response = await fetch(nodeUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors[0].message);
  return body.data;
}

const { transaction } = await gql('query ($h: String!) { transaction(hash: $h) { height } }', {
  h: featured.inTransitHandover,
});

mkdirSync(values.out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});

async function shoot(name, url, { width = 1280, height = 900, fullPage = true, before } = {}) {
  const context = await browser.newContext({
    viewport: { width, height },
    timezoneId: 'Europe/Amsterdam',
    locale: 'en-GB',
  });
  const page = await context.newPage();
  await page.goto(base + url, { waitUntil: 'networkidle' });
  if (before) await before(page);
  await page.waitForTimeout(1000);
  const file = join(values.out, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  process.stdout.write(`${file}\n`);
  await context.close();
}

try {
  await shoot('dashboard', '/', { fullPage: false, height: 1100 });
  await shoot('block', `/blocks/${transaction.height}`);
  await shoot('transaction', `/tx/${featured.inTransitHandover}`);
  await shoot('product', path(featured.bottle), {
    fullPage: false,
    height: 1500,
    before: (page) =>
      page
        .getByText(/verified/i)
        .first()
        .waitFor({ timeout: 30_000 }),
  });
  await shoot('product-390', path(featured.bottle), {
    width: 390,
    height: 1800,
    fullPage: false,
    before: (page) =>
      page
        .getByText(/verified/i)
        .first()
        .waitFor({ timeout: 30_000 }),
  });
  await shoot('recalled', path(featured.recalledLot), { fullPage: false });
  await shoot('staff-inbox', '/staff', {
    before: async (page) => {
      await page
        .getByLabel('Keystore file')
        .setInputFiles(join(values.devnet, 'keystores', values.keystore));
      await page
        .getByLabel('Passphrase')
        .fill(process.env.WAYBILL_DEMO_PASSPHRASE ?? 'waybill-demo');
      await page.getByRole('button', { name: /sign in/i }).click();
      await page.getByRole('heading', { name: /Waiting for you/ }).waitFor({ timeout: 30_000 });
    },
  });
} finally {
  await browser.close();
}
