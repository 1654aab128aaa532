/**
 * Mistakes: a wrong passphrase, handing over an item the worker's organization does not hold, and
 * accepting a handover meant for another organization each end with a clear message, and the
 * node's GraphQL shows that nothing changed on chain.
 */
import { gql, orgSnapshot, thing } from './support/graphql.js';
import { expect, hydrated, test } from './support/fixtures.js';
import { keystorePath, nowEventTime, openKeystore, submitSigned } from './support/keys.js';
import { PASSPHRASE } from './support/paths.js';
import { signIn } from './support/staff.js';
import { runState } from './support/state.js';

const RETAILER = 'green-basket';

/** An item some other organization holds and nobody is handing over. */
async function someoneElsesItem(): Promise<{ epc: string; custodian: string }> {
  const data = await gql<{
    products: { things: { epc: string; custodian: string; parent: string | null }[] };
  }>(
    `{ products(custodian: "rotterdam-cold-hub", status: "active", first: 20) {
      things { epc custodian parent }
    } }`,
  );
  const item = data.products.things.find((t) => t.parent === null) ?? data.products.things[0];
  if (!item) throw new Error('rotterdam-cold-hub holds nothing active');
  return item;
}

test('mistakes: wrong passphrase, an item not held, a handover meant for others', async ({
  page,
  journey,
}) => {
  test.setTimeout(90_000);
  const { featured } = runState();
  const keystore = keystorePath(RETAILER, 'staff', 2);
  const foreign = await someoneElsesItem();
  const before = {
    retailer: await orgSnapshot(RETAILER),
    foreign: await thing(foreign.epc),
    inTransit: await thing(featured.inTransitPallet),
  };
  expect(before.inTransit.pendingTransfer).toBe(featured.inTransitHandover);

  // 1. A wrong passphrase: said under the field, and no one is signed in.
  await signIn(page, keystore, `${PASSPHRASE}-typo`);
  const passphraseError = page.getByText(/^Wrong passphrase: the keystore did not open\./);
  await expect(passphraseError).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('Passphrase')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('region', { name: 'Signed in' })).toHaveCount(0);
  await journey.step(page, 'wrong passphrase');

  // 2. Handing over an item another organization holds: refused before anything is signed.
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock and sign in' }).click();
  await expect(page.getByRole('region', { name: 'Signed in' })).toContainText('Green Basket');
  await page
    .getByRole('navigation', { name: 'Staff desk' })
    .getByRole('link', { name: 'Hand over' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hand over' })).toBeVisible();
  const code = await hydrated(page.getByLabel('Item, lot or pallet code'));
  await code.fill(foreign.epc);
  await code.press('Enter');
  await expect(page.getByRole('list', { name: 'Items to hand over: selected' })).toBeVisible();
  const receiver = page.getByLabel('Receiving organization');
  await expect(receiver).toBeEnabled();
  await receiver.selectOption('nordic-reefer');
  await page.getByRole('button', { name: 'Sign and hand over' }).click();
  const problems = page.getByRole('alert').filter({ hasText: 'Nothing was signed' });
  await expect(problems).toBeVisible();
  await expect(problems).toContainText(
    `is held by ${foreign.custodian}, not by Green Basket Markets, so you cannot hand it over`,
  );
  await expect(page.getByRole('region', { name: 'Handover: progress' })).toHaveCount(0);
  await journey.step(page, 'item not held');

  // 3. A handover meant for another organization: the inbox does not offer it to this one...
  await page
    .getByRole('navigation', { name: 'Staff desk' })
    .getByRole('link', { name: 'Inbox' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Waiting for you/ })).toBeVisible();
  await expect(page.locator(`a[href="/tx/${featured.inTransitHandover}"]`)).toHaveCount(0);
  await journey.step(page, 'inbox without the others handover');
  // ...and an acceptance signed with this organization's key anyway is refused by the chain.
  // (Sent to an authority: only the node that builds a block records why it refused one.)
  const forced = await submitSigned(
    openKeystore(keystore),
    'custody.accept',
    { transfer: featured.inTransitHandover, eventTime: nowEventTime() },
    runState().authorityUrl,
  ).catch((error: unknown) => ({
    status: 'REJECTED' as const,
    code: 'ERROR',
    message: error instanceof Error ? error.message : String(error),
  }));
  expect(forced.status).toBe('REJECTED');
  test.info().annotations.push({
    type: 'refused',
    description: `${String(forced.code)}: ${String(forced.message)}`,
  });
  expect(forced.message ?? '').toMatch(/rotterdam-cold-hub|receiver|not/i);

  // Nothing changed on chain.
  expect(await orgSnapshot(RETAILER)).toEqual(before.retailer);
  expect(await thing(foreign.epc)).toEqual(before.foreign);
  expect(await thing(featured.inTransitPallet)).toEqual(before.inTransit);
});
