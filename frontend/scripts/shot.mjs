// Quick look at pages while developing: node scripts/shot.mjs BASE_URL OUT_DIR path[@width] ...
import { chromium } from 'playwright-core';

const [base, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const spec of paths) {
    const [path, width = '1280'] = spec.split('@');
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    const errors = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base + path, { waitUntil: 'networkidle' });
    await page.waitForTimeout(1500);
    const name = `${path.replace(/[^a-z0-9]+/gi, '_').slice(0, 60) || 'home'}_${width}.png`;
    await page.screenshot({ path: `${out}/${name}`, fullPage: true });
    console.log(name, errors.length ? `errors: ${errors.join(' | ')}` : 'ok');
    await page.close();
  }
} finally {
  await browser.close();
}
