import { describe, expect, it } from 'vitest';
import { requestOrigin } from './origin';

const headers = (values: Record<string, string>) => new Headers(values);

describe('requestOrigin', () => {
  it('prefers what the proxy says, then the Host header', () => {
    expect(
      requestOrigin(
        headers({
          host: '10.0.0.5:3000',
          'x-forwarded-host': 'id.example.com',
          'x-forwarded-proto': 'https',
        }),
      ),
    ).toBe('https://id.example.com');
    expect(requestOrigin(headers({ host: '127.0.0.1:3000' }))).toBe('http://127.0.0.1:3000');
    expect(requestOrigin(headers({ host: 'explorer.example.com' }))).toBe(
      'https://explorer.example.com',
    );
  });

  it('ignores a host that is not one', () => {
    expect(requestOrigin(headers({ host: 'evil.example.com/path?x' }))).toBeUndefined();
    expect(requestOrigin(headers({}))).toBeUndefined();
  });
});
