import { defineConfig } from '@playwright/test';
import { ARTIFACTS_DIR, CAMERA_FILE, CHROMIUM_PATH } from './test/support/paths.js';

// Global set-up picks the explorer's port and passes it on to the workers through the environment.
const baseURL = process.env.WAYBILL_E2E_EXPLORER_URL;

export default defineConfig({
  testDir: 'test',
  testMatch: '*.spec.ts',
  globalSetup: './test/support/global-setup.ts',
  outputDir: `${ARTIFACTS_DIR}/test-results`,
  // One devnet and one explorer for the whole run; journeys run in file order, one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  globalTimeout: 8 * 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: `${ARTIFACTS_DIR}/report`, open: 'never' }]],
  use: {
    ...(baseURL ? { baseURL } : {}),
    browserName: 'chromium',
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/Amsterdam',
    viewport: { width: 1280, height: 900 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        // The staff journey scans a QR code with a fake camera that shows a generated frame.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${CAMERA_FILE}`,
      ],
    },
  },
});
