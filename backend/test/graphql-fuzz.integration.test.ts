/**
 * GraphQL fuzzing against a real node (issue 8): thousands of queries and mutations generated from
 * the node's own schema (`schema.gql`), with valid and hostile arguments, wrong variables and
 * broken documents. Whatever arrives: no 5xx, a JSON answer, a code on every error, and the node
 * stays ready and keeps finalizing.
 *
 * Seeded and bounded: the seed is printed, and `WAYBILL_FUZZ_SEED=<n>` reruns with another one.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemEpc } from '@waybill/shared/gs1';
import { PARTICIPANTS, TEST_GTINS, testKey } from '@waybill/shared/testing';
import { cleanUp, soloChain, startNode, submitFinal, type NodeProcess } from './harness.js';

const SEED = Number(process.env.WAYBILL_FUZZ_SEED ?? 20261126);
const schema = buildSchema(readFileSync(new URL('../schema.gql', import.meta.url), 'utf8'));

let node: NodeProcess;
let chain: ReturnType<typeof soloChain>;

beforeAll(async () => {
  console.log(`graphql fuzz: fast-check seed ${SEED} (set WAYBILL_FUZZ_SEED to change it)`);
  chain = soloChain('waybill-fuzz');
  // A generous mutation rate: the fuzzer is one client sending thousands of requests.
  node = await startNode(chain.dataDir, { WAYBILL_MUTATION_RATE: '100000/100000' });
  const { name, roles, gln } = PARTICIPANTS.acme;
  await submitFinal(
    node,
    chain.sign(
      'org.register',
      { orgId: 'acme', name, roles: [...roles], gln, admin: testKey('acme-admin').publicKey },
      chain.authority,
    ),
  );
});

afterAll(cleanUp);

/** Strings that mean something to the node, and strings that should mean nothing. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.constantFrom(
    '',
    'acme',
    TEST_GTINS.milk,
    itemEpc(TEST_GTINS.milk, 'N1'),
    `https://id.example.com/01/${TEST_GTINS.milk}/21/N1`,
    'ab'.repeat(32),
    '0'.repeat(64),
    'x'.repeat(5_000),
    "' OR 1=1 --",
    '%00',
    '\u0000',
    '\uD800',
    '{"a":1}',
    '-1',
    '1e309',
  ),
);

const hostileInt = fc.oneof(
  fc.integer({ min: -5, max: 200 }),
  fc.constantFrom(0, -1, 2_147_483_647, -2_147_483_648),
);

/** A GraphQL literal for a value of `type`, sometimes of the wrong kind on purpose. */
function inputLiteral(type: GraphQLInputType, depth = 0): fc.Arbitrary<string> {
  const wrong = fc.constantFrom('null', '"oops"', '42', '[1, 2]', '{ bogus: 1 }', 'true');
  if (isNonNullType(type))
    return fc.oneof(
      { weight: 30, arbitrary: inputLiteral(type.ofType, depth) },
      { weight: 1, arbitrary: wrong },
    );
  if (isListType(type))
    return fc
      .array(inputLiteral(type.ofType, depth + 1), { maxLength: 3 })
      .map((items) => `[${items.join(', ')}]`);
  if (isEnumType(type))
    return fc.oneof(
      fc.constantFrom(...type.getValues().map((v) => v.name)),
      fc.constant('NOT_A_VALUE'),
    );
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant('{}');
    const fields = Object.values(type.getFields());
    return fc
      .tuple(...fields.map((f) => fc.option(inputLiteral(f.type, depth + 1), { nil: undefined })))
      .map((values) => {
        const parts = values.flatMap((v, i) =>
          v === undefined ? [] : [`${fields[i]?.name}: ${v}`],
        );
        return `{ ${parts.join(', ')} }`;
      });
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        return hostileInt.map(String);
      case 'Float':
        return fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => String(n));
      case 'Boolean':
        return fc.boolean().map(String);
      case 'JSON':
      case 'JSONObject':
        return fc.jsonValue({ maxDepth: 2 }).map(toLiteral);
      default:
        return hostileString.map((s) => JSON.stringify(s));
    }
  }
  return wrong;
}

/** A JSON value written as a GraphQL literal (object keys unquoted). */
function toLiteral(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  return `{ ${Object.entries(value)
    .filter(([k]) => /^[_A-Za-z][_0-9A-Za-z]*$/.test(k))
    .map(([k, v]) => `${k}: ${toLiteral(v)}`)
    .join(', ')} }`;
}

function argumentsOf(args: readonly GraphQLArgument[]): fc.Arbitrary<string> {
  if (args.length === 0) return fc.constant('');
  return fc
    .tuple(
      ...args.map((a) =>
        // Required arguments are nearly always given (or validation stops most requests);
        // optional ones half the time.
        isNonNullType(a.type)
          ? fc.option(inputLiteral(a.type), { nil: undefined, freq: 40 })
          : fc.option(inputLiteral(a.type), { nil: undefined, freq: 2 }),
      ),
    )
    .map((values) => {
      const parts = values.flatMap((v, i) => (v === undefined ? [] : [`${args[i]?.name}: ${v}`]));
      return parts.length > 0 ? `(${parts.join(', ')})` : '';
    });
}

/** A selection of 1–4 fields of an output type, `depth` levels at most. */
function selectionOf(type: GraphQLOutputType, depth: number): fc.Arbitrary<string> {
  const named = getNamedType(type);
  if (isLeafType(named)) return fc.constant('');
  if (isUnionType(named) || isInterfaceType(named) || depth <= 0)
    return fc.constant('{ __typename }');
  const object = named as GraphQLObjectType;
  const fields = Object.values(object.getFields());
  return fc
    .uniqueArray(fc.constantFrom(...fields), {
      minLength: 1,
      maxLength: 4,
      selector: (f) => f.name,
    })
    .chain((chosen) => fc.tuple(...chosen.map((f) => fieldOf(f, depth - 1))))
    .map((parts) => `{ ${parts.join(' ')} }`);
}

function fieldOf(field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<string> {
  return fc
    .tuple(argumentsOf(field.args), selectionOf(field.type, depth))
    .map(([args, selection]) => `${field.name}${args} ${selection}`);
}

function operation(kind: 'query' | 'mutation'): fc.Arbitrary<string> {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  if (!root) return fc.constant(`${kind} { __typename }`);
  return fc
    .array(fc.constantFrom(...Object.values(root.getFields())), { minLength: 1, maxLength: 3 })
    .chain((fields) => fc.tuple(...fields.map((f, i) => fieldOf(f, 3).map((s) => `f${i}: ${s}`))))
    .map((parts) => `${kind} { ${parts.join(' ')} }`);
}

/** A request body: a generated document, possibly damaged, with or without odd variables. */
const request = fc
  .tuple(
    fc.oneof(
      { weight: 4, arbitrary: operation('query') },
      { weight: 1, arbitrary: operation('mutation') },
    ),
    fc.oneof(
      { weight: 6, arbitrary: fc.constant<((doc: string) => string) | undefined>(undefined) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.nat(), fc.string({ maxLength: 3 }))
          .map(([at, insert]) => (doc: string) => {
            const i = at % doc.length;
            return doc.slice(0, i) + insert + doc.slice(i + 1);
          }),
      },
      {
        weight: 1,
        arbitrary: fc.nat().map((at) => (doc: string) => doc.slice(0, at % doc.length)),
      },
    ),
    // Variables in one request of five, an operation name (matching nothing) in one of twenty.
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
          maxKeys: 3,
        }),
      },
    ),
    fc.oneof(
      { weight: 19, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    ),
  )
  .map(([doc, damage, variables, operationName]) => {
    const body: Record<string, unknown> = { query: damage ? damage(doc) : doc };
    if (variables !== null) body.variables = variables;
    if (operationName !== null) body.operationName = operationName;
    return body;
  });

interface GraphQLAnswer {
  data?: unknown;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

async function send(
  body: unknown,
): Promise<{ status: number; answer: GraphQLAnswer; text: string }> {
  const response = await fetch(node.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, answer: JSON.parse(text) as GraphQLAnswer, text };
}

describe('GraphQL under generated and mutated requests', () => {
  it('never answers 5xx, always answers JSON with a code on every error, and stays ready', async () => {
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (body) => {
        const { status, answer, text } = await send(body);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const context = `${JSON.stringify(body).slice(0, 600)}\n→ ${status} ${text.slice(0, 400)}`;
        expect(status, context).toBeLessThan(500);
        expect(answer.data !== undefined || answer.errors !== undefined, context).toBe(true);
        for (const error of answer.errors ?? []) {
          expect(typeof error.message, context).toBe('string');
          expect(typeof error.extensions?.code, context).toBe('string');
          const code = String(error.extensions?.code);
          // INTERNAL_SERVER_ERROR is what an unexpected exception in a resolver becomes.
          expect(code, context).not.toBe('INTERNAL_SERVER_ERROR');
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }),
      { seed: SEED, numRuns: 2_500, endOnFailure: true },
    );
    console.log(
      `graphql fuzz: statuses ${JSON.stringify(Object.fromEntries(statuses))}, codes ${JSON.stringify(Object.fromEntries(codes))}`,
    );
    // Some requests must have got through validation to the resolvers, or the fuzzer tests little.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(750);

    const ready = await fetch(`${node.url}/readyz`);
    expect(ready.status).toBe(200);
    // And it still finalizes.
    const { name, roles, gln } = PARTICIPANTS.swift;
    await submitFinal(
      node,
      chain.sign(
        'org.register',
        { orgId: 'swift', name, roles: [...roles], gln, admin: testKey('swift-admin').publicKey },
        chain.authority,
      ),
    );
  }, 300_000);
});
