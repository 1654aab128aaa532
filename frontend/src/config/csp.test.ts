import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp';

const policy = (nodeUrl: string, development = false) =>
  Object.fromEntries(
    contentSecurityPolicy({ nonce: 'bm9uY2U=', nodeUrl, development })
      .split('; ')
      .map((directive) => {
        const [name, ...values] = directive.split(' ');
        return [name, values];
      }),
  ) as Record<string, string[]>;

describe('the explorer Content-Security-Policy', () => {
  it('runs scripts only with the nonce, and no plugins, framing or foreign forms', () => {
    const p = policy('http://127.0.0.1:4001/graphql');
    expect(p['script-src']).toEqual(["'self'", "'nonce-bm9uY2U='", "'strict-dynamic'"]);
    expect(p['script-src']).not.toContain("'unsafe-inline'");
    expect(p['object-src']).toEqual(["'none'"]);
    expect(p['frame-ancestors']).toEqual(["'none'"]);
    expect(p['form-action']).toEqual(["'self'"]);
    expect(p['worker-src']).toContain("'self'");
  });

  it('connects only to this site and the configured node, over HTTP and WebSocket', () => {
    expect(policy('http://127.0.0.1:4001/graphql')['connect-src']).toEqual([
      "'self'",
      'http://127.0.0.1:4001',
      'ws://127.0.0.1:4001',
    ]);
    expect(policy('https://node.example.com/graphql')['connect-src']).toEqual([
      "'self'",
      'https://node.example.com',
      'wss://node.example.com',
    ]);
  });

  it('allows eval only for the development server', () => {
    expect(policy('http://127.0.0.1:4001/graphql', true)['script-src']).toContain("'unsafe-eval'");
  });
});
