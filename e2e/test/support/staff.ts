/** The staff desk as a worker uses it: signing in with a keystore file, and what was sent. */
import type { BrowserContext, Page } from '@playwright/test';
import { expect, hydrated } from './fixtures.js';

/** Signs in on /staff with a keystore file; resolves once the desk shows who is signed in. */
export async function signIn(page: Page, keystoreFile: string, passphrase: string): Promise<void> {
  await page.goto('/staff');
  const file = await hydrated(page.getByLabel('Keystore file'));
  await file.setInputFiles(keystoreFile);
  // The node is asked which organization the key signs for as soon as the file is chosen.
  await expect(page.getByText(/, (staff|admin) of .+ \(/)).toBeVisible();
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock and sign in' }).click();
}

export interface Sent {
  url: string;
  body: string;
}

/** Records every request and WebSocket frame the browser sends from this context. */
export function recordSent(context: BrowserContext): Sent[] {
  const sent: Sent[] = [];
  context.on('request', (request) => {
    sent.push({
      url: request.url(),
      body: `${JSON.stringify(request.headers())}\n${request.postData() ?? ''}`,
    });
  });
  const watch = (page: Page) => {
    page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => {
        sent.push({ url: socket.url(), body: payload.toString() });
      });
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return sent;
}

/** The ways a secret could travel: as typed, hex (either case) and base64 of its bytes. */
export function secretForms(secret: string, hex = false): string[] {
  if (!hex) return [secret, encodeURIComponent(secret)];
  const bytes = Buffer.from(secret, 'hex');
  return [
    secret.toLowerCase(),
    secret.toUpperCase(),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    JSON.stringify(Array.from(bytes)).slice(1, -1),
  ];
}

/** The requests whose URL or body contains one of the secrets. */
export function leaks(sent: readonly Sent[], secrets: readonly string[]): string[] {
  return sent
    .filter((s) => secrets.some((secret) => s.url.includes(secret) || s.body.includes(secret)))
    .map((s) => s.url);
}
