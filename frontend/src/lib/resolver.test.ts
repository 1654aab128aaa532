import { describe, expect, it } from 'vitest';
import { resolverDecision } from './resolver';

const NODE = 'http://127.0.0.1:4005/graphql';
const ITEM = '/01/09521001001007/21/1001';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the explorer as a Digital Link resolver', () => {
  it('shows the product page to a browser and for gs1:pip', () => {
    expect(resolverDecision(ITEM, '', BROWSER, NODE)).toEqual({ kind: 'page' });
    expect(resolverDecision(ITEM, '?linkType=gs1:pip', 'application/json', NODE)).toEqual({
      kind: 'page',
    });
    // Next's own client navigations ask for RSC payloads, never for a link type.
    expect(resolverDecision(ITEM, '', 'text/x-component', NODE)).toEqual({ kind: 'page' });
    expect(resolverDecision('/blocks/3', '?linkType=all', null, NODE)).toEqual({ kind: 'page' });
  });

  it('sends other link types and media types on to the node, at the same path', () => {
    for (const [search, accept] of [
      ['?linkType=gs1:epcis', BROWSER],
      ['?linkType=https%3A%2F%2Fgs1.org%2Fvoc%2Ftraceability', BROWSER],
      ['?linkType=gs1:recallStatus', null],
      ['?linkType=all', BROWSER],
      ['', 'application/ld+json'],
      ['', 'application/linkset+json'],
    ] as const) {
      expect(resolverDecision(ITEM, search, accept, NODE)).toEqual({
        kind: 'redirect',
        location: `http://127.0.0.1:4005${ITEM}${search}`,
      });
    }
  });

  it('refuses a link type it does not serve, naming those it does', () => {
    const decision = resolverDecision(ITEM, '?linkType=gs1:smpc', BROWSER, NODE);
    expect(decision).toMatchObject({ kind: 'error', code: 'INVALID_QUERY' });
    expect(decision.kind === 'error' && decision.message).toContain('gs1:recallStatus');
  });
});
