/**
 * Digital Link requests for something other than a page go to the node's resolver. Then a
 * strict Content-Security-Policy on every page: scripts only with this response's nonce (Next
 * puts it on its own scripts, and 'strict-dynamic' lets them load the app's chunks), nothing
 * inline otherwise, no plugins, no framing, and connections only to this site and the node the
 * explorer is configured for. Pages are rendered per request anyway (the chain changes), so a
 * nonce costs no caching.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from './config/csp';
import { readConfig } from './config/read';
import { resolverDecision } from './lib/resolver';

export function proxy(request: NextRequest): NextResponse {
  // A Digital Link asked for with a link type or media type other than the page: the node's
  // resolver answers it (lib/resolver.ts).
  const decision = resolverDecision(
    request.nextUrl.pathname,
    request.nextUrl.search,
    request.headers.get('accept'),
    readConfig().publicNodeUrl,
  );
  if (decision.kind === 'redirect') {
    const response = NextResponse.redirect(decision.location, 307);
    response.headers.set('Vary', 'Accept');
    return response;
  }
  if (decision.kind === 'error')
    return NextResponse.json({ code: decision.code, message: decision.message }, { status: 400 });

  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const policy = contentSecurityPolicy({
    nonce,
    nodeUrl: readConfig().publicNodeUrl,
    development: process.env.NODE_ENV === 'development',
  });
  // Next reads the nonce from the request's policy and applies it to the scripts it renders.
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: static files carry no scripts of their own, and prefetches reuse the page's.
      source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
