/**
 * Limits that keep bad or hostile input from hurting the node; each refusal is a coded error.
 *
 * - Query depth: at most 12 nested fields (`QUERY_TOO_DEEP`). Introspection (`__schema`,
 *   `__type`) may go to 20, so the standard introspection query (depth 15) of GraphiQL and
 *   codegen tools keeps working; graphql-js's own MaxIntrospectionDepthRule bounds its recursion.
 * - Query size: at most 300 fields per operation, every fragment spread counted at full size
 *   (`QUERY_TOO_COMPLEX`); before that, parsing stops at 10000 tokens (`GRAPHQL_PARSE_FAILED`),
 *   so a huge query costs milliseconds, not seconds. Transactions travel in variables, which
 *   are not tokens.
 * - Mutations: a token bucket per remote address (`RATE_LIMITED`, HTTP 429 with Retry-After and
 *   `extensions.retryAfterMs`). One request is one token, however many transactions it carries.
 *   `WAYBILL_MUTATION_RATE=<per second>[/<burst>]` sets it: default `50/200`; the burst defaults
 *   to four seconds' worth; `off` disables it. The address is the TCP peer: behind a reverse
 *   proxy every client shares the proxy's bucket.
 * - Request bodies: a body over WAYBILL_MAX_BODY_BYTES is answered 413 (`TOO_LARGE`), one that
 *   is not JSON 400 (`BAD_REQUEST`), both as GraphQL-shaped JSON (`bodyErrorHandler`).
 *
 * The same rules guard GraphQL over WebSocket (graphql-ws), which would otherwise bypass them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { ConfigError } from '../config/node-config.js';

export const MAX_QUERY_DEPTH = 12;
export const MAX_INTROSPECTION_DEPTH = 20;
export const MAX_QUERY_FIELDS = 300;
/** Parsing stops here: a multi-megabyte query would otherwise hold the event loop for seconds. */
export const MAX_QUERY_TOKENS = 10_000;
export const MUTATION_RATE_ENV = 'WAYBILL_MUTATION_RATE';

/** Codes whose validation errors keep their own code (Apollo would say GRAPHQL_VALIDATION_FAILED). */
const LIMIT_CODES = new Set(['QUERY_TOO_DEEP', 'QUERY_TOO_COMPLEX']);
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

// --- Depth and size ---------------------------------------------------------------------------

interface Shape {
  /** Deepest path through the application's fields. */
  depth: number;
  /** Deepest path that starts at `__schema` or `__type` (root selection sets only). */
  introspectionDepth: number;
  /** Fields selected, each fragment spread counted at its full size. */
  fields: number;
}

/**
 * Measures selection sets with fragments expanded. A fragment's shape is computed once and
 * reused, so a "fragment bomb" (each fragment spreading the next many times) costs linear time
 * while its field count still grows as the server would see it.
 */
function measurer(context: ValidationContext): (set: SelectionSetNode) => Shape {
  const memo = new Map<string, Shape>();
  const visiting = new Set<string>();
  const measure = (set: SelectionSetNode, root: boolean): Shape => {
    const shape: Shape = { depth: 0, introspectionDepth: 0, fields: 0 };
    const add = (inner: Shape) => {
      shape.depth = Math.max(shape.depth, inner.depth);
      shape.introspectionDepth = Math.max(shape.introspectionDepth, inner.introspectionDepth);
      shape.fields += inner.fields;
    };
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const below = selection.selectionSet
            ? measure(selection.selectionSet, false)
            : { depth: 0, introspectionDepth: 0, fields: 0 };
          const depth = 1 + below.depth;
          shape.fields += 1 + below.fields;
          if (root && INTROSPECTION_ROOTS.has(selection.name.value))
            shape.introspectionDepth = Math.max(shape.introspectionDepth, depth);
          else shape.depth = Math.max(shape.depth, depth);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          add(measure(selection.selectionSet, root));
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          const key = `${root ? 'root' : 'nested'}:${name}`;
          const fragment = context.getFragment(name);
          // Unknown fragments and cycles are reported by the standard rules.
          if (!fragment || visiting.has(key)) break;
          let inner = memo.get(key);
          if (!inner) {
            visiting.add(key);
            inner = measure(fragment.selectionSet, root);
            visiting.delete(key);
            memo.set(key, inner);
          }
          add(inner);
          break;
        }
      }
    }
    return shape;
  };
  return (set) => measure(set, true);
}

function limitError(
  node: OperationDefinitionNode,
  code: string,
  message: string,
  extensions: Record<string, number>,
) {
  return new GraphQLError(message, { nodes: node, extensions: { code, ...extensions } });
}

/** Refuses operations nested deeper than `maxDepth` fields (`QUERY_TOO_DEEP`). */
export function depthLimitRule(
  maxDepth = MAX_QUERY_DEPTH,
  maxIntrospectionDepth = MAX_INTROSPECTION_DEPTH,
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const measure = measurer(context);
    return {
      OperationDefinition(node) {
        const { depth, introspectionDepth } = measure(node.selectionSet);
        if (depth > maxDepth)
          context.reportError(
            limitError(
              node,
              'QUERY_TOO_DEEP',
              `query is ${depth} levels deep; the limit is ${maxDepth}`,
              {
                depth,
                limit: maxDepth,
              },
            ),
          );
        if (introspectionDepth > maxIntrospectionDepth)
          context.reportError(
            limitError(
              node,
              'QUERY_TOO_DEEP',
              `introspection query is ${introspectionDepth} levels deep; the limit is ${maxIntrospectionDepth}`,
              { depth: introspectionDepth, limit: maxIntrospectionDepth },
            ),
          );
        return false;
      },
    };
  };
}

/** Refuses operations selecting more than `maxFields` fields, fragments expanded (`QUERY_TOO_COMPLEX`). */
export function complexityLimitRule(maxFields = MAX_QUERY_FIELDS): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const measure = measurer(context);
    return {
      OperationDefinition(node) {
        const { fields } = measure(node.selectionSet);
        if (fields > maxFields)
          context.reportError(
            limitError(
              node,
              'QUERY_TOO_COMPLEX',
              `query selects ${fields} fields (fragments counted each time they are spread); the limit is ${maxFields}`,
              { fields, limit: maxFields },
            ),
          );
        return false;
      },
    };
  };
}

export const LIMIT_RULES: readonly ValidationRule[] = [depthLimitRule(), complexityLimitRule()];

/**
 * Apollo reports every validation error as GRAPHQL_VALIDATION_FAILED; this gives the limit
 * errors their own code back (the original error is kept as `originalError`).
 */
export function formatLimitError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const code = original instanceof GraphQLError ? original.extensions.code : undefined;
  if (typeof code !== 'string' || !LIMIT_CODES.has(code)) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code } };
}

// --- Mutation rate ----------------------------------------------------------------------------

export interface MutationRate {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many mutations may come at once. */
  burst: number;
}

export const DEFAULT_MUTATION_RATE: MutationRate = { perSecond: 50, burst: 200 };

/** Reads WAYBILL_MUTATION_RATE; null means no limit (`off`). Throws ConfigError naming it. */
export function loadMutationRate(env: Record<string, string | undefined>): MutationRate | null {
  const raw = env[MUTATION_RATE_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MUTATION_RATE;
  if (raw.toLowerCase() === 'off') return null;
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(raw);
  const perSecond = Number(match?.[1]);
  const burst = match?.[2] !== undefined ? Number(match[2]) : Math.max(1, Math.ceil(perSecond * 4));
  if (!match || perSecond <= 0 || perSecond > 1_000_000 || burst < 1 || burst > 1_000_000) {
    throw new ConfigError([
      `${MUTATION_RATE_ENV}="${raw}": expected <mutations per second>[/<burst>] such as 50/200 (rate up to 1000000, burst from 1 to 1000000), or off`,
    ]);
  }
  return { perSecond, burst };
}

/** Token buckets per client; idle (full) buckets are dropped so the map stays small. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly rate: MutationRate,
    private readonly maxClients = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token; returns 0 when granted, or how many ms until one is available. */
  take(client: string): number {
    const now = this.now();
    const bucket = this.refilled(client, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.rate.perSecond) * 1000);
  }

  private refilled(client: string, now: number) {
    let bucket = this.buckets.get(client);
    if (bucket) {
      const elapsed = (now - bucket.at) / 1000;
      bucket.tokens = Math.min(this.rate.burst, bucket.tokens + elapsed * this.rate.perSecond);
      bucket.at = now;
      return bucket;
    }
    if (this.buckets.size >= this.maxClients) this.sweep(now);
    bucket = { tokens: this.rate.burst, at: now };
    this.buckets.set(client, bucket);
    return bucket;
  }

  private sweep(now: number) {
    const { perSecond, burst } = this.rate;
    for (const [client, b] of this.buckets)
      if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) this.buckets.delete(client);
    // Still full of active clients: forget the oldest ones (they start again with a full bucket).
    for (const client of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(client);
    }
  }
}

function clientOf(socket: { remoteAddress?: string | undefined } | undefined): string {
  const address = socket?.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function rateLimited(
  client: string,
  rate: MutationRate,
  retryAfterMs: number,
  overHttp: boolean,
): GraphQLError {
  const http = {
    status: 429,
    headers: new HeaderMap([['retry-after', String(Math.ceil(retryAfterMs / 1000))]]),
  };
  return new GraphQLError(
    `too many mutations from ${client}: the limit is ${rate.perSecond} per second (burst ${rate.burst}); retry in ${retryAfterMs} ms`,
    { extensions: { code: 'RATE_LIMITED', retryAfterMs, ...(overHttp && { http }) } },
  );
}

interface RequestContext {
  req?: { socket?: { remoteAddress?: string | undefined } };
}

function mutationRatePlugin(buckets: TokenBuckets): ApolloServerPlugin<RequestContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== OperationTypeNode.MUTATION) return Promise.resolve();
          const client = clientOf(contextValue.req?.socket);
          const wait = buckets.take(client);
          return wait === 0
            ? Promise.resolve()
            : Promise.reject(rateLimited(client, buckets.rate, wait, true));
        },
      });
    },
  };
}

// --- Wiring -----------------------------------------------------------------------------------

let configuredRate: MutationRate | null | undefined;

/**
 * Reads the limits' settings from the node's environment (startNode calls it before building the
 * app, so a bad value is reported like any other configuration error).
 */
export function configureApiLimits(env: Record<string, string | undefined>): void {
  configuredRate = loadMutationRate(env);
}

/** The GraphQL module options that apply the limits, for one Apollo server. */
export function graphqlLimits(
  rate: MutationRate | null = configuredRate === undefined
    ? loadMutationRate(process.env)
    : configuredRate,
): {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  formatError: typeof formatLimitError;
  plugins: ApolloServerPlugin<RequestContext>[];
  graphqlWs: GraphQLWsSubscriptionsConfig;
} {
  const buckets = rate ? new TokenBuckets(rate) : undefined;
  const rules = [...LIMIT_RULES];
  const parseOptions: ParseOptions = { maxLexicalTokens: MAX_QUERY_TOKENS };
  // graphql-ws validates with its `validate` option, which Nest passes through untyped.
  const graphqlWs = {
    validate: (schema: GraphQLSchema, document: DocumentNode) =>
      validate(schema, document, [...specifiedRules, ...rules]),
    onSubscribe: (
      ctx: { extra: unknown },
      _id: string,
      payload: { query: string; operationName?: string | null },
    ): readonly GraphQLError[] | undefined => {
      // graphql-ws parses without a token limit; once this parse passes, its own is bounded.
      let document: DocumentNode;
      try {
        document = parse(payload.query, parseOptions);
      } catch (error) {
        const message = error instanceof Error ? error.message : 'cannot parse the query';
        return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
      if (
        !buckets ||
        getOperationAST(document, payload.operationName)?.operation !== OperationTypeNode.MUTATION
      )
        return undefined;
      const request = (ctx.extra as { request?: IncomingMessage } | undefined)?.request;
      const client = clientOf(request?.socket);
      const wait = buckets.take(client);
      return wait === 0 ? undefined : [rateLimited(client, buckets.rate, wait, false)];
    },
  } as GraphQLWsSubscriptionsConfig;
  return {
    validationRules: rules,
    parseOptions,
    formatError: formatLimitError,
    plugins: buckets ? [mutationRatePlugin(buckets)] : [],
    graphqlWs,
  };
}

// --- Request bodies ---------------------------------------------------------------------------

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  message?: unknown;
  length?: unknown;
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, number> = {},
) {
  const body = JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * An Express error handler for the body parser, registered right after it: answers an oversized
 * body 413 `TOO_LARGE` naming the limit, malformed JSON 400 `BAD_REQUEST`, and other client-side
 * body errors (bad charset or encoding, aborted upload) with their status, all as GraphQL-shaped
 * JSON. Anything else goes on to Nest.
 */
export function bodyErrorHandler(maxBodyBytes: number) {
  return (
    error: unknown,
    _req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    const e = (typeof error === 'object' && error !== null ? error : {}) as BodyParserError;
    const status = typeof e.status === 'number' ? e.status : 500;
    if (res.headersSent || status >= 500) {
      next(error);
      return;
    }
    if (e.type === 'entity.too.large') {
      const length = typeof e.length === 'number' ? e.length : undefined;
      sendError(
        res,
        413,
        'TOO_LARGE',
        `request body${length !== undefined ? ` of ${length} bytes` : ''} is over the limit of ${maxBodyBytes} bytes (WAYBILL_MAX_BODY_BYTES)`,
        { limit: maxBodyBytes, ...(length !== undefined && { length }) },
      );
      return;
    }
    const detail = typeof e.message === 'string' ? e.message : 'unreadable request body';
    if (e.type === 'entity.parse.failed') {
      sendError(res, 400, 'BAD_REQUEST', `request body is not valid JSON: ${detail}`);
      return;
    }
    sendError(res, status, 'BAD_REQUEST', `cannot read the request body: ${detail}`);
  };
}
