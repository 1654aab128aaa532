/**
 * Bad input against a real node: every request gets a clear coded error, never an HTML page or a
 * hang, and the node keeps serving afterwards. A second node with a tiny mutation rate checks
 * the rate limit. The limit rules themselves are also checked directly against a recursive
 * schema, which the node's own schema does not have.
 */
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaybillClient, WaybillClientError } from '@waybill/shared/client';
import { PARTICIPANTS, testKey } from '@waybill/shared/testing';
import type { SignedTx } from '@waybill/shared/tx';
import {
  complexityLimitRule,
  depthLimitRule,
  loadMutationRate,
  MAX_QUERY_DEPTH,
  MAX_QUERY_FIELDS,
  TokenBuckets,
} from '../src/api/limits.js';
import { cleanUp, soloChain, startNode, type NodeProcess, type SoloChain } from './harness.js';

/** Every request gives up after this long, so a hung node fails the test instead of stalling it. */
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

interface Answer {
  status: number;
  headers: Headers;
  body: GraphQLBody;
}

const timedFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/** POSTs a raw body; the answer must be JSON whatever happened. */
async function post(
  url: string,
  body: string | Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await timedFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.headers.get('content-type'), text.slice(0, 200)).toMatch(/^application\/json/);
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as GraphQLBody,
  };
}

function firstError(answer: Answer): { message: string; code: unknown } {
  const error = answer.body.errors?.[0];
  expect(error, JSON.stringify(answer.body)).toBeDefined();
  return { message: error?.message ?? '', code: error?.extensions?.code };
}

let chain: SoloChain;
let node: NodeProcess;
let limited: NodeProcess;
let client: WaybillClient;
let good: SignedTx;

/** The node still answers a query, and with the chain it had. */
async function stillServing(target: NodeProcess = node): Promise<void> {
  const answer = await post(target.graphqlUrl, { query: '{ chain { chainId height } }' });
  expect(answer.status).toBe(200);
  expect(answer.body.data).toMatchObject({ chain: { chainId: 'waybill-it' } });
  expect((answer.body.data as { chain: { height: number } }).chain.height).toBeGreaterThanOrEqual(
    0,
  );
}

async function submitError(tx: unknown): Promise<WaybillClientError> {
  const error = await client
    .request('mutation ($tx: JSON!) { submitTransaction(tx: $tx) { hash } }', { tx })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WaybillClientError);
  return error as WaybillClientError;
}

beforeAll(async () => {
  chain = soloChain();
  const other = soloChain();
  [node, limited] = await Promise.all([
    startNode(chain.dataDir, { WAYBILL_HEARTBEAT_MS: '60000' }),
    // 2 mutations a second, 3 at once: reached in a few requests, refilled in half a second.
    startNode(other.dataDir, { WAYBILL_HEARTBEAT_MS: '60000', WAYBILL_MUTATION_RATE: '2/3' }),
  ]);
  client = new WaybillClient({ url: node.graphqlUrl, fetch: timedFetch });
  const { name, roles, gln } = PARTICIPANTS.acme;
  good = chain.sign(
    'org.register',
    { orgId: 'acme', name, roles: [...roles], gln, admin: testKey('acme-admin').publicKey },
    chain.authority,
  );
});

afterAll(cleanUp);

describe('a node given bad input', () => {
  it('answers malformed JSON with 400 BAD_REQUEST as JSON', async () => {
    const answer = await post(node.graphqlUrl, '{"query": "{ chain { height }');
    expect(answer.status).toBe(400);
    const error = firstError(answer);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/not valid JSON/);
    await stillServing();
  });

  it('answers a 10 MB body with 413 TOO_LARGE naming the limit', async () => {
    const answer = await post(node.graphqlUrl, {
      query: 'query ($blob: String) { chain { height } }',
      variables: { blob: 'x'.repeat(10 * 1024 * 1024) },
    });
    expect(answer.status).toBe(413);
    const error = firstError(answer);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain(String(MAX_BODY_BYTES));
    await stillServing();
  });

  it('answers a wrong variable type with BAD_USER_INPUT and an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const wrongType = await post(node.graphqlUrl, {
      query: 'query ($limit: Int!) { blocks(limit: $limit) { nextCursor } }',
      variables: { limit: 'ten' },
    });
    expect(wrongType.status).toBe(400);
    expect(firstError(wrongType).code).toBe('BAD_USER_INPUT');
    const unknownField = await post(node.graphqlUrl, { query: '{ chain { height colour } }' });
    expect(unknownField.status).toBe(400);
    expect(firstError(unknownField).code).toBe('GRAPHQL_VALIDATION_FAILED');
    const wrongArgument = await post(node.graphqlUrl, {
      query: '{ blocks(size: 3) { nextCursor } }',
    });
    expect(firstError(wrongArgument).code).toBe('GRAPHQL_VALIDATION_FAILED');
    await stillServing();
  });

  it('answers a page size of a million with BAD_REQUEST', async () => {
    const error = await client
      .request('{ blocks(limit: 1000000) { nextCursor } }')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaybillClientError);
    expect((error as WaybillClientError).code).toBe('BAD_REQUEST');
    expect((error as WaybillClientError).message).toMatch(/1 to 100/);
    await stillServing();
  });

  it('answers a query nested 50 deep with QUERY_TOO_DEEP naming the limit', async () => {
    const deep = `{ __schema { types { ${'ofType { '.repeat(48)}name${' }'.repeat(48)} } } }`;
    const answer = await post(node.graphqlUrl, { query: deep });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveLength(1);
    const error = firstError(answer);
    expect(error.code).toBe('QUERY_TOO_DEEP');
    expect(error.message).toMatch(/51 levels deep; the limit is \d+/);
    await stillServing();
  });

  it('answers a query selecting too many fields with QUERY_TOO_COMPLEX naming the limit', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `c${i}: chain { height }`).join(' ');
    const answer = await post(node.graphqlUrl, { query: `{ ${aliases} }` });
    expect(answer.status).toBe(400);
    const error = firstError(answer);
    expect(error.code).toBe('QUERY_TOO_COMPLEX');
    expect(error.message).toContain(`the limit is ${MAX_QUERY_FIELDS}`);
    // Still answers the standard introspection query that GraphiQL and codegen tools send.
    const introspection = await post(node.graphqlUrl, {
      query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
    });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
    await stillServing();
  });

  it('answers bad transactions with their protocol code and a replay with DUPLICATE', async () => {
    expect((await submitError({ ...good, surprise: true })).code).toBe('BAD_ENCODING');
    const flipped = good.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect((await submitError({ ...good, signature: flipped })).code).toBe('BAD_SIGNATURE');
    expect((await submitError({ ...good, chainId: 'other-chain' })).code).toBe('WRONG_CHAIN');
    const first = await client.submit(good, { waitFinal: true });
    expect(first.status).toBe('FINAL');
    expect((await submitError(good)).code).toBe('DUPLICATE');
    await stillServing();
  });
});

describe('test controls', () => {
  it('are not mounted unless WAYBILL_TEST_CONTROLS=1: nobody can cut a real node off', async () => {
    const response = await timedFetch(`${node.url}/control/isolate?ms=1000`, { method: 'POST' });
    expect(response.status).toBe(404);
    await stillServing();
  });
});

describe('the mutation rate limit', () => {
  const mutation = 'mutation ($txs: [JSON!]!) { submitTransactions(txs: $txs) { code } }';

  it('answers mutations over the burst with RATE_LIMITED and a retry hint, then recovers', async () => {
    // A batch counts once, however many transactions it carries.
    const batch = { query: mutation, variables: { txs: [{}, {}, {}] } };
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) answers.push(await post(limited.graphqlUrl, batch));
    const refused = answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(answers.slice(0, 3).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    const last = answers[4]!;
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const retryAfterMs = last.body.errors?.[0]?.extensions?.retryAfterMs;
    expect(retryAfterMs).toBeTypeOf('number');
    expect(retryAfterMs as number).toBeGreaterThan(0);
    expect(retryAfterMs as number).toBeLessThanOrEqual(500);
    expect(firstError(last).message).toMatch(/2 per second \(burst 3\); retry in \d+ ms/);

    // Queries are not limited, and a mutation is accepted again once the hint has passed.
    await stillServing(limited);
    await new Promise((resolve) => setTimeout(resolve, (retryAfterMs as number) + 50));
    const again = await post(limited.graphqlUrl, batch);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      submitTransactions: [{ code: 'BAD_ENCODING' }, {}, {}],
    });
  });

  it('reads WAYBILL_MUTATION_RATE and refuses nonsense', () => {
    expect(loadMutationRate({})).toEqual({ perSecond: 50, burst: 200 });
    expect(loadMutationRate({ WAYBILL_MUTATION_RATE: '10' })).toEqual({ perSecond: 10, burst: 40 });
    expect(loadMutationRate({ WAYBILL_MUTATION_RATE: '0.5/2' })).toEqual({
      perSecond: 0.5,
      burst: 2,
    });
    expect(loadMutationRate({ WAYBILL_MUTATION_RATE: 'off' })).toBeNull();
    for (const bad of ['fast', '0', '5/0', '-1', '5/2/1'])
      expect(() => loadMutationRate({ WAYBILL_MUTATION_RATE: bad })).toThrow(
        /WAYBILL_MUTATION_RATE/,
      );
  });

  it('keeps one bucket per client and forgets idle ones', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perSecond: 1, burst: 2 }, 2, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 1000]);
    expect(buckets.take('b')).toBe(0);
    now = 500;
    expect(buckets.take('a')).toBe(500);
    now = 5000;
    expect(buckets.take('c')).toBe(0); // the map was full: idle buckets were dropped
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 1000]);
  });
});

describe('the query limit rules', () => {
  // A recursive schema, which the node's does not have (yet).
  const schema = buildSchema('type Query { node: Node } type Node { id: ID child: Node }');
  const rules = [...specifiedRules, depthLimitRule(), complexityLimitRule()];
  const codes = (query: string) =>
    validate(schema, parse(query), rules).map((e) => e.extensions.code ?? e.message);
  const nested = (depth: number) =>
    `{ ${'node { '.repeat(1)}${'child { '.repeat(depth - 2)}id${' }'.repeat(depth - 1)} }`;

  it(`allows ${MAX_QUERY_DEPTH} levels and refuses ${MAX_QUERY_DEPTH + 1}, fragments included`, () => {
    expect(codes(nested(MAX_QUERY_DEPTH))).toEqual([]);
    expect(codes(nested(MAX_QUERY_DEPTH + 1))).toEqual(['QUERY_TOO_DEEP']);
    const viaFragments = `{ node { ...A } }
      fragment A on Node { child { ...B } }
      fragment B on Node { child { child { child { child { child { child { child { child { child { child { child { id } } } } } } } } } } } }`;
    expect(codes(viaFragments)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('counts every fragment spread, so a fragment bomb is refused quickly', () => {
    let bomb = '{ node { ...F0 } }\n';
    for (let i = 0; i < 40; i++)
      bomb += `fragment F${i} on Node { ${i === 39 ? 'id' : `a: child { ...F${i + 1} } b: child { ...F${i + 1} }`} }\n`;
    const started = performance.now();
    expect(codes(bomb)).toContain('QUERY_TOO_COMPLEX');
    expect(performance.now() - started).toBeLessThan(1000);
    const fields = (n: number) =>
      `{ ${Array.from({ length: n / 2 }, (_, i) => `n${i}: node { id }`).join(' ')} }`;
    expect(codes(fields(MAX_QUERY_FIELDS))).toEqual([]);
    expect(codes(fields(MAX_QUERY_FIELDS + 2))).toEqual(['QUERY_TOO_COMPLEX']);
  });
});
