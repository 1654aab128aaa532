/**
 * Wire names and the request/response codec of the Waybill p2p protocols. Pure: no libp2p here.
 *
 * Every name carries the chain id (URI-encoded), so nodes of different chains share no topic and
 * no protocol: `/waybill/<chainId>/transactions/1`, `/waybill/<chainId>/consensus/1` (gossipsub
 * topics), `/waybill/<chainId>/status/1` and `/waybill/<chainId>/blocks/1` (request/response).
 *
 * Request/response frames are unsigned-varint length-prefixed UTF-8 JSON, each at most the node's
 * `maxMessageBytes`. The client writes one request frame and closes its writable end; the server
 * answers with one head frame and, for blocks, `count` block frames, then closes.
 *
 *   status  request `{}`                 head `{ "ok": true, "height": n, "hash": "<hex>" }`
 *   blocks  request `{ "from": a, "to": b }`   head `{ "ok": true, "count": k }`, then k frames
 *           `{ "header": …, "txs": [ … ], "commit": … }` for heights a, a+1, … a+k-1
 *   either  head `{ "ok": false, "error": "<why>" }` when the request cannot be served
 */
import { headerShapeProblem, type Block, type Refusal } from '@waybill/shared/block';
import { P2pError } from './errors.js';
import type { GossipTopic, PeerStatus } from './interface.js';

export const PROTOCOL_VERSION = 1;

export function topicName(chainId: string, topic: GossipTopic): string {
  return `/waybill/${encodeURIComponent(chainId)}/${topic}/${PROTOCOL_VERSION}`;
}

export function statusProtocol(chainId: string): string {
  return `/waybill/${encodeURIComponent(chainId)}/status/${PROTOCOL_VERSION}`;
}

export function blocksProtocol(chainId: string): string {
  return `/waybill/${encodeURIComponent(chainId)}/blocks/${PROTOCOL_VERSION}`;
}

/** Requests are tiny; anything longer is refused before it is parsed. */
export const MAX_REQUEST_BYTES = 1024;

export interface BlocksRequest {
  from: number;
  to: number;
}

export type ResponseHead =
  | { ok: true; height: number; hash: string }
  | { ok: true; count: number }
  | { ok: false; error: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** JSON of a frame; `what` names it in the error. */
export function decodeJson(frame: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(decoder.decode(frame)) as unknown;
  } catch {
    throw new P2pError('BAD_RESPONSE', `${what} is not UTF-8 JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHeight(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A blocks request as the server reads it; undefined when malformed. */
export function parseBlocksRequest(value: unknown): BlocksRequest | undefined {
  if (!isRecord(value) || !isHeight(value.from) || !isHeight(value.to)) return undefined;
  return { from: value.from, to: value.to };
}

/** The head frame of a response; a remote `{ ok: false }` becomes a REMOTE_ERROR. */
function parseHead(value: unknown, peer: string): Record<string, unknown> {
  if (!isRecord(value) || typeof value.ok !== 'boolean') {
    throw new P2pError('BAD_RESPONSE', `peer ${peer} sent a response without "ok"`, { peer });
  }
  if (!value.ok) {
    const error = typeof value.error === 'string' ? value.error.slice(0, 200) : 'unknown error';
    throw new P2pError('REMOTE_ERROR', `peer ${peer} refused the request: ${error}`, { peer });
  }
  return value;
}

export function parseStatusHead(value: unknown, peer: string): PeerStatus {
  const head = parseHead(value, peer);
  if (
    !isHeight(head.height) ||
    typeof head.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(head.hash)
  ) {
    throw new P2pError('BAD_RESPONSE', `peer ${peer} sent a malformed status`, { peer });
  }
  return { height: head.height, hash: head.hash };
}

/** The number of block frames that follow; at most `max`. */
export function parseBlocksHead(value: unknown, peer: string, max: number): number {
  const head = parseHead(value, peer);
  if (!isHeight(head.count) || head.count > max) {
    throw new P2pError(
      'BAD_RESPONSE',
      `peer ${peer} announced ${String(head.count)} blocks; expected 0 to ${max}`,
      { peer },
    );
  }
  return head.count;
}

/**
 * One served block: the right shape, at the expected height. Only the shape: the caller checks
 * hashes, links and the commit certificate.
 */
export function parseBlock(value: unknown, expectedHeight: number, peer: string): Block {
  const bad = (why: string) =>
    new P2pError('BAD_RESPONSE', `peer ${peer} sent a malformed block ${expectedHeight}: ${why}`, {
      peer,
      height: expectedHeight,
    });
  if (!isRecord(value)) throw bad('not an object');
  const problem = headerShapeProblem(value.header, '$.header');
  if (problem !== undefined) throw bad(`${problem.path}: ${problem.message}`);
  const header = value.header as Block['header'];
  if (header.height !== expectedHeight) throw bad(`it is at height ${header.height}`);
  if (!Array.isArray(value.txs)) throw bad('txs is not an array');
  if (!isRecord(value.commit)) throw bad('commit is not an object');
  return {
    header,
    txs: value.txs as unknown[],
    ...(value.refused !== undefined && { refused: value.refused as Refusal[] }),
    commit: value.commit as unknown as Block['commit'],
  };
}
