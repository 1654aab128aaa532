/**
 * Warehouse staff: a retailer's worker signs in with a keystore file, picks one item by typing its
 * code and another by scanning its QR code with the (fake) camera, and hands both over to the
 * carrier; the carrier's worker, in a second browser, finds the handover in the inbox and accepts
 * it; each sees their transaction reach final in its block. No request either browser sent
 * carries the passphrase or a private key.
 */
import { writeFileSync } from 'node:fs';
import { thing, transaction } from './support/graphql.js';
import { expect, hydrated, test } from './support/fixtures.js';
import { keystorePath, openKeystore } from './support/keys.js';
import { HANDOFF_FILE, PASSPHRASE } from './support/paths.js';
import { leaks, recordSent, secretForms, signIn } from './support/staff.js';
import { runState } from './support/state.js';

const CARRIER = 'nordic-reefer';

/** "Item 09521001002103 · serial L261118A-0007", as the desk describes an item's EPC. */
function describeItem(epc: string): string {
  const [, gtin, serial] = /\/01\/(\d{14})\/21\/(.+)$/.exec(epc) ?? [];
  return `Item ${gtin ?? ''} · serial ${decodeURIComponent(serial ?? '')}`;
}

test('staff: hand over by typed code and camera scan, the carrier accepts', async ({
  page,
  context,
  browser,
  journey,
}) => {
  test.setTimeout(120_000);
  const { featured, scannedItem, explorerUrl } = runState();
  const typedItem = featured.bottle;
  const retailer = (await thing(typedItem)).custodian;
  const retailerKeystore = keystorePath(retailer);
  const carrierKeystore = keystorePath(CARRIER);
  await context.grantPermissions(['camera']);
  const sentByRetailer = recordSent(context);

  // The retailer's worker signs in.
  await page.goto('/staff');
  await journey.step(page, 'retailer sign-in form');
  await signIn(page, retailerKeystore, PASSPHRASE);
  await expect(page.getByRole('region', { name: 'Signed in' })).toContainText('Green Basket');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await journey.step(page, 'retailer inbox');

  await page
    .getByRole('navigation', { name: 'Staff desk' })
    .getByRole('link', { name: 'Hand over' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hand over' })).toBeVisible();
  await journey.step(page, 'handover form');

  // One item by typing its code (its Digital Link, as printed under the QR code).
  const selected = page.getByRole('list', { name: 'Items to hand over: selected' });
  const code = await hydrated(page.getByLabel('Item, lot or pallet code'));
  await code.fill(typedItem);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(selected.getByText(describeItem(typedItem))).toBeVisible();
  await journey.shot(page, 'typed item added');

  // The other by pointing the camera at its label.
  await page.getByRole('button', { name: 'Scan with camera' }).click();
  await expect(page.getByLabel('Camera view for scanning Items to hand over')).toBeVisible();
  await expect(selected.getByText(describeItem(scannedItem))).toBeVisible({ timeout: 20_000 });
  await journey.shot(page, 'scanned item added');
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await expect(selected.getByRole('listitem')).toHaveCount(2);

  const receiver = page.getByLabel('Receiving organization');
  await expect(receiver).toBeEnabled();
  await receiver.selectOption(CARRIER);
  await page.getByLabel(/^Note/).fill('Two bottles back to the carrier for the return run');
  await journey.step(page, 'handover filled in');
  await page.getByRole('button', { name: 'Sign and hand over' }).click();
  const handoverStatus = page.getByRole('region', { name: 'Handover: progress' });
  await expect(handoverStatus.getByText(/^Handover: final in block #\d+\.$/)).toBeVisible({
    timeout: 30_000,
  });
  const handoverHash =
    (await handoverStatus.getByRole('link').first().getAttribute('href'))?.replace('/tx/', '') ??
    '';
  expect(handoverHash).toMatch(/^[0-9a-f]{64}$/);
  await journey.step(page, 'handover final');

  // The carrier's worker, in a browser of their own.
  const carrierContext = await browser.newContext({
    baseURL: explorerUrl,
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
    viewport: { width: 1280, height: 900 },
  });
  const sentByCarrier = recordSent(carrierContext);
  const carrier = await carrierContext.newPage();
  try {
    await signIn(carrier, carrierKeystore, PASSPHRASE);
    await expect(carrier.getByRole('region', { name: 'Signed in' })).toContainText('Nordic Reefer');
    const incoming = carrier.getByRole('list', { name: 'Handovers to you' });
    const row = incoming
      .getByRole('listitem')
      .filter({ has: carrier.locator(`a[href="/tx/${handoverHash}"]`) });
    await expect(row).toBeVisible();
    await expect(row.getByText(describeItem(typedItem))).toBeVisible();
    await expect(row.getByText(describeItem(scannedItem))).toBeVisible();
    await journey.step(carrier, 'carrier inbox');

    await (
      await hydrated(row.getByRole('button', { name: `Accept 2 things from ${retailer}` }))
    ).click();
    const acceptStatus = row.getByRole('region', { name: 'Acceptance: progress' });
    await expect(acceptStatus.getByText(/^Acceptance: final in block #\d+\.$/)).toBeVisible({
      timeout: 30_000,
    });
    const acceptHash =
      (await acceptStatus.getByRole('link').first().getAttribute('href'))?.replace('/tx/', '') ??
      '';
    await journey.step(carrier, 'acceptance final');

    // The retailer's inbox no longer lists it as on its way; its transaction page says final.
    await page
      .getByRole('navigation', { name: 'Staff desk' })
      .getByRole('link', { name: 'Inbox' })
      .click();
    await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
    await expect(page.locator(`a[href="/tx/${handoverHash}"]`)).toHaveCount(0);
    await journey.shot(page, 'retailer inbox after acceptance');

    // On chain: both final, custody with the carrier.
    const [handover, acceptance] = await Promise.all([
      transaction(handoverHash),
      transaction(acceptHash),
    ]);
    expect(handover?.status).toBe('FINAL');
    expect(acceptance?.status).toBe('FINAL');
    for (const epc of [typedItem, scannedItem]) {
      const now = await thing(epc);
      expect(now.custodian).toBe(CARRIER);
      expect(now.pendingTransfer).toBeNull();
    }
    writeFileSync(
      HANDOFF_FILE,
      JSON.stringify({
        item: typedItem,
        handover: { hash: handoverHash, height: handover?.height },
        acceptance: { hash: acceptHash, height: acceptance?.height },
      }),
    );

    // Neither browser sent a passphrase or a private key anywhere.
    const secrets = [
      ...secretForms(PASSPHRASE),
      ...secretForms(openKeystore(retailerKeystore).secretKey, true),
      ...secretForms(openKeystore(carrierKeystore).secretKey, true),
    ];
    const sent = [...sentByRetailer, ...sentByCarrier];
    expect(sent.length).toBeGreaterThan(10);
    expect(leaks(sent, secrets)).toEqual([]);
  } finally {
    await carrierContext.close();
  }
});
