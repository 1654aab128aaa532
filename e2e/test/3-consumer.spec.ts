/**
 * Consumer, on a phone: the item's GS1 Digital Link page shows its whole journey, including the
 * handover and acceptance the staff journey just made, verified in the browser; a recalled lot
 * says so first, and so does a cup made from it two transformations on, with why; and a provenance bundle altered on its way to the browser is caught, the
 * altered step marked with why.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { gql } from './support/graphql.js';
import { expect, test } from './support/fixtures.js';
import { HANDOFF_FILE } from './support/paths.js';
import { runState } from './support/state.js';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

interface Handoff {
  item: string;
  handover: { hash: string };
  acceptance: { hash: string };
}

function handoff(): Handoff {
  if (!existsSync(HANDOFF_FILE)) {
    throw new Error(
      'the staff journey (2-staff.spec.ts) did not record its handover: run it first',
    );
  }
  return JSON.parse(readFileSync(HANDOFF_FILE, 'utf8')) as Handoff;
}

// The badges' words (their ✓ and ✗ are hidden from assistive technology).
const VERIFIED = /^✓ Verified$/;
const NOT_VERIFIED = /^✗ Not verified$/;

const path = (epc: string) => epc.replace('https://id.gs1.org', '');

async function eventHashes(epc: string): Promise<string[]> {
  const data = await gql<{ thing: { events: { hash: string }[] } }>(
    'query ($epc: String!) { thing(epc: $epc) { events { hash } } }',
    { epc },
  );
  return data.thing.events.map((e) => e.hash);
}

/** The panel's verdict, once the browser has checked every signature. */
function panel(page: Page) {
  return page.getByRole('region', { name: /Verified in your browser/ });
}

test('consumer: the journey on a phone, verified; a recall; a tampered bundle', async ({
  page,
  journey,
}) => {
  test.setTimeout(120_000);
  const { featured } = runState();
  const made = handoff();

  await page.goto(path(made.item));
  const verification = panel(page);
  await expect(verification.getByText(/^All \d+ steps verified/)).toBeVisible({ timeout: 60_000 });
  await expect(verification.getByRole('heading').getByText(VERIFIED)).toBeVisible();
  await expect(page.getByText(NOT_VERIFIED)).toHaveCount(0);
  await journey.step(page, 'product page verified');

  // The bundle the browser checked can be kept, to check again offline.
  const download = verification.getByRole('link', { name: 'Download the provenance bundle' });
  const bundleUrl = new URL((await download.getAttribute('href')) ?? '', page.url()).href;
  const bundleResponse = await page.request.get(bundleUrl);
  expect(bundleResponse.status()).toBe(200);
  expect(bundleResponse.headers()['content-disposition']).toMatch(
    /^attachment; filename="waybill-bundle-/,
  );
  expect(((await bundleResponse.json()) as { subject?: string }).subject).toBe(made.item);

  // Every step on chain is in the journey, the two just made among them, each verified.
  const steps = page.getByRole('list', { name: 'Journey' }).locator(':scope > li');
  const hashes = await eventHashes(made.item);
  expect(hashes).toEqual(expect.arrayContaining([made.handover.hash, made.acceptance.hash]));
  // Its own events, and those of the pallets it travelled in while packed.
  const count = await steps.count();
  expect(count).toBeGreaterThanOrEqual(hashes.length);
  for (const hash of hashes) {
    await expect(steps.filter({ has: page.locator(`[id="step-${hash}"]`) })).toHaveCount(1);
  }
  await expect(steps.filter({ has: page.getByText(VERIFIED) })).toHaveCount(count);
  const handoverStep = steps.filter({ has: page.locator(`[id="step-${made.handover.hash}"]`) });
  await expect(handoverStep).toContainText('Nordic Reefer');
  await handoverStep.scrollIntoViewIfNeeded();
  await journey.shot(page, 'handover and acceptance steps');

  // A recalled lot: the banner comes first.
  await page.goto(path(featured.recalledLot));
  await expect(
    page.getByRole('heading', { name: /Recalled: do not consume or use/ }),
  ).toBeVisible();
  await journey.step(page, 'recalled lot');

  // Two transformations downstream of it: the page says why, from the cup back to the lot.
  await page.goto(path(featured.parfait));
  const affected = page.getByRole('region', { name: /Affected by a recall: do not consume/ });
  await expect(affected).toBeVisible();
  await expect(affected).toContainText(
    /This was made from lot FY\d+ of Strawberry yoghurt, 150 g, which was made from lot Y\d+B of Natural yoghurt 3\.5% fat, 500 g\. Lot Y\d+B of Natural yoghurt 3\.5% fat, 500 g is recalled: Listeria/,
  );
  await expect(affected.getByRole('link', { name: 'the recall on chain' })).toHaveAttribute(
    'href',
    `/tx/${featured.recall}`,
  );
  await journey.step(page, 'recall two transformations upstream');

  // The same item with one step of its bundle changed between the node and the browser.
  const { nodeUrl } = runState();
  let tampered = false;
  await page.route(
    (url) => url.href === nodeUrl,
    async (route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes('bundle(')) {
        await route.continue();
        return;
      }
      const response = await route.fetch();
      const json = (await response.json()) as {
        data: {
          bundle: { txs: { tx: { hash?: string; type: string; payload: { note?: string } } }[] };
        };
      };
      const entry = json.data.bundle.txs.find(
        (t) =>
          t.tx.type === 'custody.handover' &&
          t.tx.payload.note !== undefined &&
          t.tx.payload.note.startsWith('Two bottles'),
      );
      if (entry) {
        entry.tx.payload.note = 'Two bottles back to the carrier (altered in flight)';
        tampered = true;
      }
      await route.fulfill({ response, json });
    },
  );
  await page.goto(path(made.item));
  await expect(verification.getByRole('heading').getByText(NOT_VERIFIED)).toBeVisible({
    timeout: 60_000,
  });
  expect(tampered).toBe(true);
  await expect(verification.getByText(/^\d+ of \d+ steps could not be verified/)).toBeVisible();
  // The panel names the event the bundle no longer truly contains: the altered handover.
  await expect(verification.getByRole('list', { name: 'Problems found' })).toContainText(
    `history are missing from the bundle (first: ${made.handover.hash})`,
  );
  // The altered step says so; the item's other steps are marked as part of a broken history.
  const altered = steps.filter({ hasText: /Not verified: it was altered/ });
  await expect(altered).toHaveCount(1);
  await expect(altered).toContainText('Handed to');
  await expect(altered).toContainText('Nordic Reefer');
  await expect(altered.getByText(NOT_VERIFIED)).toBeVisible();
  await expect(
    altered.getByText(
      'Not verified: it was altered: its content is not the event the chain recorded',
    ),
  ).toBeVisible();
  await altered.scrollIntoViewIfNeeded();
  await journey.step(page, 'tampered step caught');
  await page.unrouteAll({ behavior: 'wait' });
});
