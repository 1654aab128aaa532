/**
 * Operator: the dashboard follows the chain live; a block another participant's event went into
 * shows its transactions and which authorities certified it; the transaction opens; the header's
 * search finds a transaction by hash, a product by GTIN and an organization by name.
 */
import { chainHeight, thing } from './support/graphql.js';
import { expect, hydrated, test } from './support/fixtures.js';
import { keystorePath, nowEventTime, openKeystore, submitSigned } from './support/keys.js';
import { runState } from './support/state.js';

test('operator: live dashboard, a block and its certificate, a transaction, search', async ({
  page,
  journey,
}) => {
  const { featured } = runState();
  const response = await page.goto('/');
  // A strict policy: scripts only with this response's nonce, which Next put on its own.
  const policy = response?.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(policy).toContain("'strict-dynamic'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(nonce).toBeDefined();
  const scripts = await page
    .locator('script')
    .evaluateAll((all) => all.map((s) => (s as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);
  await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  const height = page.getByTestId('finalized-height');
  const first = Number((await height.innerText()).replace(/\D/g, ''));
  await journey.step(page, 'dashboard');

  // Heartbeat blocks keep coming: the height rises with no reload.
  await expect
    .poll(async () => Number((await height.innerText()).replace(/\D/g, '')), { timeout: 20_000 })
    .toBeGreaterThan(first);
  await journey.shot(page, 'dashboard height risen');

  // Meanwhile a retailer's worker records a shelf check; its block appears in the live list.
  const retailer = (await thing(featured.bottle)).custodian;
  const result = await submitSigned(
    openKeystore(keystorePath(retailer, 'staff', 2)),
    'event.observe',
    {
      epcs: [featured.rollCage],
      eventTime: nowEventTime(),
      bizStep: 'inspecting',
      note: 'Operator journey: roll cage checked on arrival',
    },
  );
  expect(result.status).toBe('FINAL');
  const txHash = result.hash ?? '';
  const blockHeight = result.height ?? -1;
  const latest = page.getByRole('list', { name: 'Latest blocks' });
  const blockLink = latest.getByRole('link', { name: `Block ${String(blockHeight)}`, exact: true });
  await expect(blockLink).toBeVisible();
  await expect(
    page.getByRole('list', { name: 'Latest events' }).locator(`a[href="/tx/${txHash}"]`),
  ).toBeVisible();
  await journey.shot(page, 'dashboard new block arrived');

  await (await hydrated(blockLink)).click();
  await expect(page).toHaveURL(new RegExp(`/blocks/${String(blockHeight)}$`));
  await expect(
    page.getByRole('heading', { level: 1, name: `Block ${String(blockHeight)}` }),
  ).toBeVisible();
  const transactions = page.getByRole('table', { name: 'Transactions in block order' });
  await expect(transactions.locator(`a[href="/tx/${txHash}"]`).first()).toBeVisible();
  await expect(transactions).toContainText('Observed');
  // Which authorities signed its commit certificate: at least a quorum of the four.
  const certificate = page.getByRole('region', { name: 'Commit certificate' });
  const signers = certificate.getByRole('listitem');
  await expect(signers).toHaveCount(4);
  expect(await signers.filter({ hasNotText: 'Did not sign' }).count()).toBeGreaterThanOrEqual(3);
  await expect(certificate.getByText(/Signed by [34] of 4 authorities/)).toBeVisible();
  await expect(certificate.getByText('Final', { exact: true })).toBeVisible();
  await journey.step(page, 'block with certificate');

  await (await hydrated(transactions.locator(`a[href="/tx/${txHash}"]`).first())).click();
  await expect(page).toHaveURL(new RegExp(`/tx/${txHash}$`));
  await expect(page.getByText(txHash)).toBeVisible();
  await expect(page.getByText('Verified in your browser')).toBeVisible();
  await journey.step(page, 'transaction');

  // Search: suggestions as you type (an ARIA combobox), each opening its page.
  const search = page.getByRole('combobox', { name: /Search by height, hash/ });
  const searchFor = async (text: string, option: RegExp, url: RegExp, name: string) => {
    await (await hydrated(search)).fill(text);
    const hit = page
      .getByRole('listbox', { name: 'Suggestions' })
      .getByRole('option', { name: option });
    await expect(hit.first()).toBeVisible();
    await journey.shot(page, `search suggestions ${name}`);
    await hit.first().click();
    await expect(page).toHaveURL(url);
    // The URL changes before the page has streamed in: check the page, not its loading state.
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await journey.step(page, `search result ${name}`);
  };
  const gtin = /\/01\/(\d{14})\//.exec(featured.bottle)?.[1] ?? '';
  await searchFor(txHash, /^Transaction/, new RegExp(`/tx/${txHash}$`), 'hash');
  await searchFor(gtin, /^Product/, new RegExp(`/01/${gtin}$`), 'gtin');
  await searchFor('Nordic Reefer', /^Organization/, /\/orgs\/nordic-reefer$/, 'organization');
  await expect(page.getByRole('heading', { level: 1, name: /Nordic Reefer/ })).toBeVisible();
  expect(await chainHeight()).toBeGreaterThan(blockHeight);
});
