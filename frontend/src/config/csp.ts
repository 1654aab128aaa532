/**
 * The explorer's Content-Security-Policy (see `src/proxy.ts`). Pure, so a unit test can read it.
 *
 * - scripts: only with the response's nonce; 'strict-dynamic' extends trust to what those load
 *   (Next's chunks), so no host list is needed and no injected script runs;
 * - workers (proof verification, keystore decryption) come from this site only;
 * - connections: this site, and the node's GraphQL endpoint over HTTP and WebSocket;
 * - style attributes stay allowed (React's `style={...}`), style elements need the nonce;
 * - no plugins, no `<base>` rewriting, no framing, forms post only here.
 */
export interface CspOptions {
  nonce: string;
  /** The node's GraphQL endpoint as browsers reach it. */
  nodeUrl: string;
  /** `next dev` evaluates code for hot reloading. */
  development?: boolean;
}

export function contentSecurityPolicy({ nonce, nodeUrl, development }: CspOptions): string {
  const node = new URL(nodeUrl);
  const ws = `${node.protocol === 'https:' ? 'wss:' : 'ws:'}//${node.host}`;
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    [
      'script-src',
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    ['style-src', "'self'", `'nonce-${nonce}'`],
    ['style-src-attr', "'unsafe-inline'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['media-src', "'self'", 'blob:'],
    ['font-src', "'self'"],
    ['worker-src', "'self'", 'blob:'],
    ['connect-src', "'self'", node.origin, ws],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}
