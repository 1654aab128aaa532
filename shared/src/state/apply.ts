/**
 * `applyTx(state, tx, context)`: the deterministic state transition of one transaction. It returns
 * the records the transaction writes, or a rejection with its code; it never writes anything
 * itself, so the node, the tests and the bundle verifier all run the very same rules.
 */
import { isWaybillError, REJECTION_CODES, type RejectionCode } from '../errors.js';
import type { SignatureVerifier } from '../crypto/index.js';
import {
  decodeTx,
  eventTimeMs,
  txHash,
  verifyTxSignature,
  type SignedTx,
  type TxType,
} from '../tx/index.js';
import type { Actor, Rule, RuleContext } from './context.js';
import {
  authorityVote,
  locationDefine,
  locationUpdate,
  memberAdd,
  memberRevoke,
  orgRegister,
  orgUpdate,
  productDefine,
} from './rules/registry.js';
import {
  aggregatePack,
  aggregateUnpack,
  custodyAccept,
  custodyCancel,
  custodyHandover,
  custodyReject,
  eventObserve,
  ownershipTransfer,
  productCommission,
  productDecommission,
  transform,
} from './rules/custody.js';
import { authorityEvidence } from './rules/evidence.js';
import { eventCorrect, recallClose, recallIssue } from './rules/recall.js';
import { extendEventChain } from './history.js';
import { reject, TxScope } from './scope.js';
import { AUTHORITIES_KEY, type Member, type StateChange, type StateReader } from './types.js';

/** How far an eventTime may run ahead of the block timestamp (protocol.md). */
export const MAX_EVENT_TIME_AHEAD_MS = 5 * 60 * 1000;

const RULES: { [T in TxType]: Rule<T> } = {
  'org.register': orgRegister,
  'org.update': orgUpdate,
  'member.add': memberAdd,
  'member.revoke': memberRevoke,
  'authority.vote': authorityVote,
  'authority.evidence': authorityEvidence,
  'product.define': productDefine,
  'product.commission': productCommission,
  'event.observe': eventObserve,
  'custody.handover': custodyHandover,
  'custody.accept': custodyAccept,
  'custody.reject': custodyReject,
  'custody.cancel': custodyCancel,
  'ownership.transfer': ownershipTransfer,
  'aggregate.pack': aggregatePack,
  'aggregate.unpack': aggregateUnpack,
  transform,
  'recall.issue': recallIssue,
  'recall.close': recallClose,
  'product.decommission': productDecommission,
  'location.define': locationDefine,
  'location.update': locationUpdate,
  'event.correct': eventCorrect,
};

/** Transaction types signed by an authority key rather than an organization member key. */
const AUTHORITY_TYPES: ReadonlySet<TxType> = new Set([
  'org.register',
  'authority.vote',
  'authority.evidence',
]);

/** Types recorded as EPCIS-style events (they can be corrected and make up a history). */
export const EVENT_TYPES: ReadonlySet<TxType> = new Set([
  'product.commission',
  'event.observe',
  'custody.handover',
  'custody.accept',
  'custody.reject',
  'custody.cancel',
  'ownership.transfer',
  'aggregate.pack',
  'aggregate.unpack',
  'transform',
  'recall.issue',
  'recall.close',
  'product.decommission',
  'event.correct',
]);

export interface ApplyContext {
  chainId: string;
  /** Height of the block the transaction lands in. */
  height: number;
  /** That block's timestamp (ISO 8601). */
  timestamp: string;
  /** Checks the transaction's signature and the signatures its payload carries (evidence votes). */
  verifier?: SignatureVerifier;
  /**
   * Skip the transaction's signature check: the caller verified it already (mempool admission).
   * Signatures inside the payload (evidence votes) are still checked.
   */
  signatureVerified?: boolean;
  /** The tx hash, when the caller has computed it already. */
  hash?: string;
  /**
   * The transaction is the result of `decodeTx` (mempool admission, a block check): it is not
   * decoded again.
   */
  decoded?: boolean;
}

export type ApplyOutcome =
  | { ok: true; hash: string; changes: StateChange[]; subjects: string[] }
  | { ok: false; hash: string; code: RejectionCode; message: string; path?: string };

/** Why a key may sign nothing at all on this state: neither a current authority nor an active member. */
export interface SignerProblem {
  code: 'UNKNOWN_SIGNER' | 'KEY_REVOKED';
  message: string;
  path: '$.signer';
}

/**
 * Whether `signer` may sign anything on `state`: a current authority or an active member key.
 * Mempool admission asks this, so that keys nobody registered cannot fill a pool with transactions
 * every block would refuse; `applyTx` then checks what the key may sign, by type.
 */
export async function signerProblem(
  state: Pick<StateReader, 'get'>,
  signer: string,
): Promise<SignerProblem | undefined> {
  const set = await state.get('authorities', AUTHORITIES_KEY);
  if (set?.authorities.some((a) => a.publicKey === signer)) return undefined;
  return memberProblem(await state.get('member', signer));
}

const UNKNOWN_SIGNER: SignerProblem = {
  code: 'UNKNOWN_SIGNER',
  message: 'the signer key is not registered to any organization',
  path: '$.signer',
};

function revoked(member: Member): SignerProblem {
  return {
    code: 'KEY_REVOKED',
    message: `the signer key was revoked at height ${member.revokedAt ?? '?'}`,
    path: '$.signer',
  };
}

function memberProblem(member: Member | undefined): SignerProblem | undefined {
  if (!member) return UNKNOWN_SIGNER;
  return member.active ? undefined : revoked(member);
}

function rejectSigner({ code, message, path }: SignerProblem): never {
  reject(code, message, path);
}

/** An EPCIS event lands once: a second transaction carrying the same event hash is refused. */
async function recordEpcisEvent(
  scope: TxScope,
  tx: SignedTx,
  hash: string,
  height: number,
): Promise<void> {
  const captured = (tx.payload as { epcis?: { eventHash: string } }).epcis;
  if (captured === undefined) return;
  const earlier = await scope.get('epcisEvent', captured.eventHash);
  if (earlier) {
    reject(
      'ALREADY_EXISTS',
      `EPCIS event ${captured.eventHash} is on chain already, in transaction ${earlier.tx} at height ${earlier.height}`,
      '$.payload.epcis.eventHash',
    );
  }
  scope.put('epcisEvent', captured.eventHash, { eventHash: captured.eventHash, tx: hash, height });
}

async function resolveActor(state: TxScope, tx: SignedTx): Promise<Actor> {
  const set = await state.get('authorities', AUTHORITIES_KEY);
  const isAuthority = set?.authorities.some((a) => a.publicKey === tx.signer) ?? false;
  if (AUTHORITY_TYPES.has(tx.type)) {
    if (!isAuthority)
      reject('NOT_AUTHORIZED', `${tx.type} must be signed by a current authority`, '$.signer');
    return { kind: 'authority', publicKey: tx.signer };
  }
  const member = await state.get('member', tx.signer);
  if (!member) {
    if (isAuthority)
      reject(
        'NOT_AUTHORIZED',
        `${tx.type} must be signed by an organization member key, not an authority key`,
        '$.signer',
      );
    rejectSigner(UNKNOWN_SIGNER);
  }
  if (!member.active) rejectSigner(revoked(member));
  const org = await state.require('organization', member.orgId, '$.signer', 'organization');
  return { kind: 'member', publicKey: tx.signer, member, org };
}

function checkEventTime(tx: SignedTx, timestamp: string): void {
  const payload = tx.payload as { eventTime?: string };
  if (payload.eventTime === undefined) return;
  const at = eventTimeMs(payload.eventTime);
  if (at === undefined)
    reject('INVALID_PAYLOAD', 'eventTime is not a real date-time', '$.payload.eventTime');
  const ahead = at - Date.parse(timestamp);
  if (ahead > MAX_EVENT_TIME_AHEAD_MS) {
    reject(
      'INVALID_PAYLOAD',
      `eventTime is ${Math.round(ahead / 1000)} s after the block time; at most ${MAX_EVENT_TIME_AHEAD_MS / 1000} s is allowed`,
      '$.payload.eventTime',
    );
  }
}

/** The things an event is about: what it names and what it changed. */
function subjectsOf(tx: SignedTx, changes: StateChange[], targetEpcs: string[]): string[] {
  const out = new Set<string>();
  const p = tx.payload as {
    epcs?: string[];
    parent?: string;
    children?: string[];
    inputs?: { epc: string }[];
  };
  for (const epc of p.epcs ?? []) out.add(epc);
  if (p.parent !== undefined) out.add(p.parent);
  for (const epc of p.children ?? []) out.add(epc);
  for (const input of p.inputs ?? []) out.add(input.epc);
  for (const epc of targetEpcs) out.add(epc);
  for (const change of changes) if (change.kind === 'thing') out.add(change.key);
  return [...out];
}

export async function applyTx(
  state: StateReader,
  input: SignedTx,
  context: ApplyContext,
): Promise<ApplyOutcome> {
  const hash = context.hash ?? txHash(input);
  try {
    // The rules rely on the schema (and the signer key checks that gate a faster verifier), so a
    // transaction that did not come through decodeTx is refused with a code here, never half-run.
    const tx = context.decoded ? input : decodeTx(input);
    if (tx.chainId !== context.chainId) {
      reject(
        'WRONG_CHAIN',
        `transaction is for chain "${tx.chainId}", this is "${context.chainId}"`,
        '$.chainId',
      );
    }
    if (!context.signatureVerified && !verifyTxSignature(tx, context.verifier)) {
      reject(
        'BAD_SIGNATURE',
        'signature does not verify for the signer key over this transaction',
        '$.signature',
      );
    }
    if (await state.hasTx(hash)) reject('DUPLICATE', `transaction ${hash} is already on chain`);
    checkEventTime(tx, context.timestamp);
    const scope = new TxScope(state);
    const actor = await resolveActor(scope, tx);
    const ctx: RuleContext<TxType> = {
      tx,
      hash,
      payload: tx.payload,
      actor,
      scope,
      height: context.height,
      ...(context.verifier && { verifier: context.verifier }),
    };
    await (RULES[tx.type] as Rule<TxType>)(ctx);
    await recordEpcisEvent(scope, tx, hash, context.height);
    let targetEpcs: string[] = [];
    if (EVENT_TYPES.has(tx.type)) {
      if (tx.type === 'event.correct')
        targetEpcs = (await scope.get('event', tx.payload.target))?.epcs ?? [];
      const org = actor.kind === 'member' ? actor.org.id : '';
      const subjects = subjectsOf(tx, scope.changes(), targetEpcs);
      for (const epc of subjects) {
        const thing = await scope.get('thing', epc);
        if (thing)
          scope.put('thing', epc, { ...thing, history: extendEventChain(thing.history, hash) });
      }
      scope.put('event', hash, {
        hash,
        type: tx.type,
        org,
        height: context.height,
        epcs: subjects,
        corrections: [],
      });
    }
    const changes = scope.changes();
    return { ok: true, hash, changes, subjects: subjectsOf(tx, changes, targetEpcs) };
  } catch (error) {
    if (isWaybillError(error) && isRejectionCode(error.code)) {
      return {
        ok: false,
        hash,
        code: error.code,
        message: error.message,
        ...(error.path !== undefined && { path: error.path }),
      };
    }
    throw error;
  }
}

function isRejectionCode(code: string): code is RejectionCode {
  return (REJECTION_CODES as readonly string[]).includes(code);
}
