/**
 * The journeys' helpers: a screenshot of every step under artifacts/screenshots/<test>/, an axe
 * check of every page (serious and critical violations fail the test), waiting for React to have
 * hydrated an element before using it, and failing on any uncaught error in the page or anything
 * the Content-Security-Policy blocked.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { SCREENSHOTS_DIR } from './paths.js';

export { expect };

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

export class Journey {
  private count = 0;
  private readonly dir: string;
  private readonly checked = new Set<string>();

  constructor(private readonly info: TestInfo) {
    this.dir = join(SCREENSHOTS_DIR, slug(info.titlePath.slice(1).join(' ')));
    mkdirSync(this.dir, { recursive: true });
  }

  /** A full-page screenshot of this step, numbered in the order taken. */
  async shot(page: Page, name: string): Promise<void> {
    this.count += 1;
    const file = join(this.dir, `${String(this.count).padStart(2, '0')}-${slug(name)}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  }

  /**
   * Axe over the page as it is now; fails on serious or critical violations, listing each rule
   * and where. `name` tells apart states of one URL (a form before and after an error).
   */
  async axe(page: Page, name: string): Promise<void> {
    const key = `${new URL(page.url()).pathname}#${name}`;
    if (this.checked.has(key)) return;
    this.checked.add(key);
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    await this.info.attach(`axe-${slug(name)}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
    const report = bad.map(
      (v) =>
        `${String(v.impact)} ${v.id}: ${v.help}\n${v.nodes
          .slice(0, 5)
          .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
          .join('\n')}`,
    );
    expect(report, `axe on ${page.url()} (${name})`).toEqual([]);
  }

  /** Screenshot and axe check of a step. */
  async step(page: Page, name: string): Promise<void> {
    // Next streams a page's metadata after its body: every page must end up with a title.
    await expect(page, `title of ${page.url()} (${name})`).toHaveTitle(/\S/);
    await this.shot(page, name);
    await this.axe(page, name);
  }
}

/** Waits until React has hydrated the element, so clicks and typing reach its handlers. */
export async function hydrated(locator: Locator): Promise<Locator> {
  await locator.waitFor();
  await expect
    .poll(() =>
      locator.evaluate((element) =>
        Object.keys(element).some((key) => key.startsWith('__reactProps$')),
      ),
    )
    .toBe(true);
  return locator;
}

export const test = base.extend<{
  journey: Journey;
  pageErrors: Error[];
  policyViolations: string[];
}>({
  // Playwright reads a fixture's dependencies from this pattern: it must be an object pattern.
  // eslint-disable-next-line no-empty-pattern
  journey: async ({}, use, info) => {
    await use(new Journey(info));
  },
  pageErrors: [
    async ({ context }, use) => {
      const errors: Error[] = [];
      context.on('weberror', (webError) => errors.push(webError.error()));
      await use(errors);
      expect(
        errors.map((e) => e.message),
        'uncaught errors in the page',
      ).toEqual([]);
    },
    { auto: true },
  ],
  // The explorer's Content-Security-Policy must not block anything the journeys use: a blocked
  // script, worker or connection is a broken page, and the browser only says so in the console.
  policyViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      context.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await use(violations);
      expect(violations, 'Content-Security-Policy violations in the page').toEqual([]);
    },
    { auto: true },
  ],
});
