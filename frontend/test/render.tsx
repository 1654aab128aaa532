/** Renders a component inside the providers every page has, with the node at a test URL. */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { BrowserConfig } from '@/config/browser';
import { NodeConfigProvider } from '@/lib/browser-config';

export const TEST_CONFIG: BrowserConfig = {
  graphqlUrl: 'http://node.test/graphql',
  wsUrl: 'ws://node.test/graphql',
};

export function renderWithNode(
  ui: ReactElement,
  config: BrowserConfig = TEST_CONFIG,
): RenderResult {
  return render(<NodeConfigProvider config={config}>{ui}</NodeConfigProvider>);
}

/** A fetch that answers GraphQL requests with `answer(query, variables)` and records them. */
export function graphqlFetch(
  answer: (query: string, variables: Record<string, unknown>) => unknown,
): typeof fetch & { calls: { query: string; variables: Record<string, unknown> }[] } {
  const calls: { query: string; variables: Record<string, unknown> }[] = [];
  const fn = (_input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(init?.body as string) as {
      query: string;
      variables: Record<string, unknown>;
    };
    calls.push(body);
    return Promise.resolve(
      new Response(JSON.stringify(answer(body.query, body.variables)), {
        headers: { 'content-type': 'application/json' },
      }),
    );
  };
  return Object.assign(fn, { calls });
}
