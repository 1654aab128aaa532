/**
 * Mistakes: a wrong passphrase, handing over an item the worker's organization does not hold, and
 * accepting a handover meant for another organization each end with a clear message, and the
 * node's GraphQL shows that nothing changed on chain.
 */
import { gql, orgSnapshot, thing } from './support/graphql.js';
import { expect, hydrated, test } from './support/fixtures.js';
import { keystorePath } from './support/keys.js';
import { PASSPHRASE } from './support/paths.js';
import { recordSent, signIn } from './support/staff.js';
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

  // 3. A handover meant for another organization: the inbox does not list it for this one...
  await page
    .getByRole('navigation', { name: 'Staff desk' })
    .getByRole('link', { name: 'Inbox' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Waiting for you/ })).toBeVisible();
  await expect(page.locator(`a[href="/tx/${featured.inTransitHandover}"]`)).toHaveCount(0);
  await journey.step(page, 'inbox without the others handover');
  // ...but a worker holding the slip of that handover opens it by its reference, and accepting it
  // is refused before anything is signed or sent.
  const sent = recordSent(page.context());
  const reference = await hydrated(page.getByLabel('Handover reference'));
  await reference.fill(featured.inTransitHandover);
  await page.getByRole('button', { name: 'Open handover' }).click();
  const opened = page.getByRole('list', { name: 'Opened handover' });
  await expect(opened.getByRole('heading', { name: /^From / })).toBeVisible();
  await expect(opened.locator(`a[href="/tx/${featured.inTransitHandover}"]`)).toBeVisible();
  await journey.step(page, 'handover of others opened');
  await opened.getByRole('button', { name: /^Accept 1 thing from / }).click();
  const refused = opened.getByRole('alert').filter({ hasText: 'Nothing was signed' });
  await expect(refused).toBeVisible();
  await expect(refused).toContainText(
    'This handover is meant for rotterdam-cold-hub, not for Green Basket Markets: only rotterdam-cold-hub can accept it.',
  );
  await expect(page.getByRole('region', { name: 'Acceptance: progress' })).toHaveCount(0);
  await journey.step(page, 'handover of others refused');
  expect(sent.filter((s) => s.body.includes('submitTransaction')).map((s) => s.url)).toEqual([]);

  // Nothing changed on chain.
  expect(await orgSnapshot(RETAILER)).toEqual(before.retailer);
  expect(await thing(foreign.epc)).toEqual(before.foreign);
  expect(await thing(featured.inTransitPallet)).toEqual(before.inTransit);
});
