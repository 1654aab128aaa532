// Quick look at pages while developing, with an axe accessibility check of each:
// node scripts/shot.mjs BASE_URL OUT_DIR path[@width][@dark] ...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const [base, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const spec of paths) {
    const [path, width = '1280', scheme = 'light'] = spec.split('@');
    const page = await browser.newPage({
      viewport: { width: Number(width), height: 900 },
      colorScheme: scheme === 'dark' ? 'dark' : 'light',
    });
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + path, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1500);
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await globalThis.axe.run(document, {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      });
      return result.violations.map(
        (v) => `${v.impact} ${v.id}: ${v.nodes.length} (${v.nodes[0]?.target})`,
      );
    });
    for (const v of violations) console.log('  axe', v);
    const name = `${path.replace(/[^a-z0-9]+/gi, '_').slice(0, 60) || 'home'}_${width}_${scheme}.png`;
    await page.screenshot({ path: `${out}/${name}`, fullPage: process.env.FULL !== '0' });
    console.log(name, errors.length ? `errors: ${errors.join(' | ')}` : 'ok');
    await page.close();
  }
} finally {
  await browser.close();
}
