/**
 * The bundle verifier: replays the authority set from genesis, checks every certificate, inclusion
 * proof, signature and state proof, and returns the subject's journey with a verdict for each step.
 * It never throws on hostile input; everything wrong becomes a reason a person can read.
 */
import {
  genesisHash,
  headerShapeProblem,
  validateGenesis,
  validatorsHash,
  verifyCommitCertificate,
  type BlockHeader,
  type GenesisConfig,
} from '../block/index.js';
import type { SignatureVerifier } from '../crypto/index.js';
import { isWaybillError } from '../errors.js';
import { verifyInclusion, type InclusionProof } from '../merkle/index.js';
import {
  applyTx,
  eventChainOf,
  InMemoryState,
  isCoveredBy,
  stateChangeHash,
  stateRootFrom,
  type Thing,
} from '../state/index.js';
import { decodeTx, txHash, verifyTxSignature, type SignedTx, type TxType } from '../tx/index.js';
import { locationsOf } from './source.js';
import {
  BUNDLE_KIND,
  BUNDLE_VERSION,
  type BundleBlock,
  type BundleRecord,
  type ProvenanceBundle,
} from './types.js';

export interface JourneyStep {
  hash: string;
  type: TxType;
  height: number;
  /** When the block recorded it. */
  recordTime: string;
  /** When it happened, as the signer says. */
  eventTime?: string;
  signer: string;
  org?: { id: string; name: string };
  /** Where, with the location's name when the bundle proves one. */
  location?: { gln: string; name?: string };
  /** Set when the step happened to a pallet or container the subject travelled in. */
  via?: string;
  tx: SignedTx;
  /** Hashes of verified corrections that declare this event erroneous. */
  corrections: string[];
  verified: boolean;
  /** Why the step is not verified. */
  reason?: string;
}

export interface VerifiedRecall {
  hash: string;
  reason: string;
  open: boolean;
  lots?: string[];
  serials?: string[];
}

export interface BundleVerification {
  /** Every step verified and every record proven complete. */
  ok: boolean;
  subject: string;
  chainId?: string;
  genesisHash?: string;
  /** The subject's journey in chain order, including what happened to the pallets it was in. */
  journey: JourneyStep[];
  /** Histories of the other things in the bundle (transformation inputs, pallets), by EPC. */
  related: Record<string, JourneyStep[]>;
  /** The proven record of the subject, as of `asOfHeight`. */
  thing?: Thing;
  asOfHeight?: number;
  product?: { gtin: string; name: string; brand?: string; description?: string; imageUrl?: string };
  recalls: VerifiedRecall[];
  /** Organizations that signed verified steps. */
  organizations: { id: string; name: string }[];
  /** Authorities whose signatures finalized the verified steps' blocks. */
  authorities: { publicKey: string; name?: string }[];
  problems: string[];
}

interface TxCheck {
  tx?: SignedTx;
  hash: string;
  height: number;
  leafIndex: number;
  proof: InclusionProof | undefined;
  ok: boolean;
  reason?: string;
}

interface BlockCheck {
  header: BlockHeader;
  ok: boolean;
  reason?: string;
  signers: string[];
}

function failure(subject: string, problem: string): BundleVerification {
  return {
    ok: false,
    subject,
    journey: [],
    related: {},
    recalls: [],
    organizations: [],
    authorities: [],
    problems: [problem],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface VerifyBundleOptions {
  verifier?: SignatureVerifier;
  /** When given, the bundle must be about this EPC. */
  expectedSubject?: string;
  /** When given, the bundle's genesis must have this hash (the chain the user trusts). */
  expectedGenesisHash?: string;
}

export async function verifyBundle(
  input: unknown,
  options: VerifyBundleOptions = {},
): Promise<BundleVerification> {
  const subject = isObject(input) && typeof input.subject === 'string' ? input.subject : '';
  try {
    return await verify(input, subject, options);
  } catch (error) {
    const reason = isWaybillError(error) || error instanceof Error ? error.message : String(error);
    return failure(subject, `the bundle is malformed: ${reason}`);
  }
}

async function verify(
  input: unknown,
  subject: string,
  options: VerifyBundleOptions,
): Promise<BundleVerification> {
  if (!isObject(input) || input.kind !== BUNDLE_KIND || input.version !== BUNDLE_VERSION) {
    return failure(subject, `not a ${BUNDLE_KIND} version ${BUNDLE_VERSION} document`);
  }
  const bundle = input as unknown as ProvenanceBundle;
  if (options.expectedSubject !== undefined && subject !== options.expectedSubject) {
    return failure(subject, `the bundle is about ${subject}, not ${options.expectedSubject}`);
  }
  if (
    !Array.isArray(bundle.blocks) ||
    !Array.isArray(bundle.txs) ||
    !Array.isArray(bundle.records)
  ) {
    return failure(subject, 'blocks, txs and records must be arrays');
  }
  const genesis: GenesisConfig = validateGenesis(bundle.genesis);
  const chainId = genesis.chainId;
  const trustedGenesis = genesisHash(genesis);
  if (options.expectedGenesisHash !== undefined && trustedGenesis !== options.expectedGenesisHash) {
    return failure(
      subject,
      `the bundle is for genesis ${trustedGenesis}, not the expected ${options.expectedGenesisHash}`,
    );
  }
  const problems: string[] = [];

  // Transactions: decode, chain, signature. Inclusion is checked once blocks are. Everything
  // below reads them in chain order, whatever order the bundle lists them in: authority votes
  // replay as the chain ran them, and the latest name of an org or product is the one shown.
  const txChecks: TxCheck[] = bundle.txs.map((entry: unknown) => {
    const e = isObject(entry) ? entry : {};
    const height = typeof e.height === 'number' ? e.height : -1;
    const proof = isObject(e.proof) ? (e.proof as unknown as InclusionProof) : undefined;
    const leafIndex = typeof proof?.leafIndex === 'number' ? proof.leafIndex : -1;
    try {
      const tx = decodeTx(e.tx);
      const hash = txHash(tx);
      if (tx.chainId !== chainId)
        return {
          tx,
          hash,
          height,
          leafIndex,
          proof,
          ok: false,
          reason: `it is for chain ${tx.chainId}, not ${chainId}`,
        };
      if (!verifyTxSignature(tx, options.verifier)) {
        return {
          tx,
          hash,
          height,
          leafIndex,
          proof,
          ok: false,
          reason: 'its signature does not verify: the event was altered or forged',
        };
      }
      return { tx, hash, height, leafIndex, proof, ok: true };
    } catch (error) {
      return {
        hash: '',
        height,
        leafIndex,
        proof,
        ok: false,
        reason: `it cannot be decoded: ${isWaybillError(error) ? error.message : 'malformed'}`,
      };
    }
  });
  txChecks.sort((a, b) => a.height - b.height || a.leafIndex - b.leafIndex);
  const byHeight = new Map<number, BundleBlock>();
  for (const block of bundle.blocks as unknown[]) {
    const header = isObject(block) && isObject(block.header) ? block.header : undefined;
    const height = header && typeof header.height === 'number' ? header.height : undefined;
    if (height === undefined || byHeight.has(height)) {
      problems.push('a block is malformed or listed twice');
      continue;
    }
    byHeight.set(height, block as BundleBlock);
  }

  // Replay the authority set block by block: votes in block h change the set from h + 1.
  const authorityState = InMemoryState.withAuthorities(genesis.authorities);
  const authorityNames = new Map(genesis.authorities.map((a) => [a.publicKey, a.name] as const));
  const blockChecks = new Map<number, BlockCheck>();
  const heights = [...new Set([...byHeight.keys(), ...txChecks.map((t) => t.height)])].sort(
    (a, b) => a - b,
  );
  for (const height of heights) {
    const block = byHeight.get(height);
    const validators = (authorityState.get('authorities', 'current')?.authorities ?? []).map(
      (a) => a.publicKey,
    );
    if (!block) continue;
    blockChecks.set(height, checkBlock(block, height, chainId, validators, options.verifier));
    for (const check of txChecks) {
      if (check.height !== height || check.tx?.type !== 'authority.vote') continue;
      if (!txIncluded(check, blockChecks)) continue;
      const header = blockChecks.get(height)?.header as BlockHeader;
      const outcome = await applyTx(authorityState, check.tx, {
        chainId,
        height,
        timestamp: header.timestamp,
        signatureVerified: true,
        hash: check.hash,
      });
      if (outcome.ok) {
        authorityState.commit(outcome.changes, [check.hash]);
        if (check.tx.payload.name !== undefined)
          authorityNames.set(check.tx.payload.authority, check.tx.payload.name);
      } else problems.push(`authority vote ${check.hash} does not replay: ${outcome.message}`);
    }
  }
  for (const check of txChecks) {
    if (check.ok && !txIncluded(check, blockChecks)) {
      check.ok = false;
      const block = blockChecks.get(check.height);
      check.reason = !block
        ? `the bundle has no block ${check.height} for it`
        : !block.ok
          ? `its block ${check.height} is not final: ${block.reason ?? ''}`
          : `it is not in block ${check.height} (the inclusion proof fails)`;
    }
  }
  const verifiedTxs = new Map<string, TxCheck>();
  for (const check of txChecks) if (check.ok) verifiedTxs.set(check.hash, check);
  const allTxs = new Map<string, TxCheck>();
  for (const check of txChecks) if (check.hash) allTxs.set(check.hash, check);

  // State records: proven against their block's state root, with complete histories.
  const records = new Map<
    string,
    { thing: Thing; height: number; complete: boolean; events: string[] }
  >();
  for (const record of bundle.records) {
    const result = checkRecord(record, blockChecks);
    if (typeof result === 'string') {
      problems.push(result);
      continue;
    }
    const missing = record.events.filter((hash) => !allTxs.has(hash));
    let complete = true;
    if (missing.length > 0) {
      problems.push(
        `${result.epc}: ${missing.length} event(s) of its history are missing from the bundle (first: ${missing[0] ?? ''})`,
      );
      complete = false;
    }
    records.set(result.epc, {
      thing: result,
      height: record.height,
      complete,
      events: record.events,
    });
  }
  const subjectRecord = records.get(subject);
  if (!subjectRecord) problems.push(`no proven record of ${subject}`);

  // Who is who, where is where: only from verified transactions.
  const orgNames = new Map<string, string>();
  const keyOrgs = new Map<string, string>();
  const locations = new Map<string, string>();
  let product: BundleVerification['product'];
  const recalls = new Map<string, VerifiedRecall & { gtin: string }>();
  const corrections = new Map<string, string[]>();
  for (const { tx, hash } of verifiedTxs.values()) {
    if (!tx) continue;
    switch (tx.type) {
      case 'org.register':
        orgNames.set(tx.payload.orgId, tx.payload.name);
        keyOrgs.set(tx.payload.admin, tx.payload.orgId);
        break;
      case 'org.update':
        if (tx.payload.name !== undefined) orgNames.set(tx.payload.orgId, tx.payload.name);
        break;
      case 'member.add':
        keyOrgs.set(tx.payload.publicKey, tx.payload.orgId);
        break;
      case 'location.define':
      case 'location.update':
        if (tx.payload.name !== undefined) locations.set(tx.payload.gln, tx.payload.name);
        break;
      case 'product.define':
        if (subjectRecord?.thing.gtin === tx.payload.gtin) {
          const { gtin, name, brand, description, imageUrl } = tx.payload;
          product = {
            gtin,
            name,
            ...(brand !== undefined && { brand }),
            ...(description !== undefined && { description }),
            ...(imageUrl !== undefined && { imageUrl }),
          };
        }
        break;
      case 'recall.issue': {
        const { gtin, reason, lots, serials } = tx.payload;
        recalls.set(hash, {
          hash,
          gtin,
          reason,
          open: true,
          ...(lots && { lots }),
          ...(serials && { serials }),
        });
        break;
      }
      case 'recall.close': {
        const recall = recalls.get(tx.payload.recall);
        if (recall) recall.open = false;
        break;
      }
      case 'event.correct':
        corrections.set(tx.payload.target, [...(corrections.get(tx.payload.target) ?? []), hash]);
        break;
      default:
        break;
    }
  }

  const stepOf = (hash: string, complete: boolean, via?: string): JourneyStep | undefined => {
    let check = allTxs.get(hash);
    // A recorded event whose transaction is missing: if another entry sits at its place in the
    // block (its inclusion proof proves the recorded hash), that entry is the event, altered.
    const altered = check === undefined;
    check ??= txChecks.find((c) => {
      const block = blockChecks.get(c.height);
      return c.tx && c.proof && block?.ok && verifyInclusion(hash, c.proof, block.header.txRoot);
    });
    if (!check?.tx) return undefined;
    const tx = check.tx;
    const block = blockChecks.get(check.height);
    const orgId = keyOrgs.get(tx.signer);
    const gln = locationsOf(tx)[0];
    const eventTime = (tx.payload as { eventTime?: string }).eventTime;
    let reason = altered
      ? 'it was altered: its content is not the event the chain recorded'
      : check.reason;
    if (reason === undefined && orgId === undefined)
      reason = "the signer's organization is not proven in the bundle";
    if (reason === undefined && !complete)
      reason = 'the history it belongs to is incomplete: events are missing';
    return {
      hash,
      type: tx.type,
      height: check.height,
      recordTime: block?.header.timestamp ?? '',
      ...(eventTime !== undefined && { eventTime }),
      signer: tx.signer,
      ...(orgId !== undefined && { org: { id: orgId, name: orgNames.get(orgId) ?? orgId } }),
      ...(gln !== undefined && {
        location: { gln, ...(locations.has(gln) && { name: locations.get(gln) }) },
      }),
      ...(via !== undefined && { via }),
      tx,
      corrections: corrections.get(hash) ?? [],
      verified: reason === undefined,
      ...(reason !== undefined && { reason }),
    };
  };

  const related: Record<string, JourneyStep[]> = {};
  for (const [epc, record] of records) {
    if (epc === subject) continue;
    related[epc] = record.events.flatMap((hash) => stepOf(hash, record.complete) ?? []);
  }
  const journey: JourneyStep[] = [];
  if (subjectRecord) {
    for (const hash of subjectRecord.events) {
      const step = stepOf(hash, subjectRecord.complete);
      if (step) journey.push(step);
    }
    journey.push(...palletSteps(subject, journey, records, stepOf, problems));
    journey.sort(
      (a, b) =>
        a.height - b.height ||
        (allTxs.get(a.hash)?.leafIndex ?? 0) - (allTxs.get(b.hash)?.leafIndex ?? 0),
    );
  }

  const thing = subjectRecord?.thing;
  const verifiedRecalls = [...recalls.values()]
    .filter((r) => thing !== undefined && isCoveredBy(thing, { ...r, open: true }))
    .map(({ gtin: _, ...r }) => r);
  const orgIds = new Set(
    journey.filter((s) => s.verified && s.org).map((s) => s.org?.id as string),
  );
  const finalizers = new Set<string>();
  for (const step of journey)
    if (step.verified)
      for (const key of blockChecks.get(step.height)?.signers ?? []) finalizers.add(key);
  const ok =
    problems.length === 0 &&
    journey.length > 0 &&
    journey.every((s) => s.verified) &&
    Object.values(related).every((steps) => steps.every((s) => s.verified));
  return {
    ok,
    subject,
    chainId,
    genesisHash: trustedGenesis,
    journey,
    related,
    ...(thing && { thing, asOfHeight: subjectRecord.height }),
    ...(product && { product }),
    recalls: verifiedRecalls,
    organizations: [...orgIds].sort().map((id) => ({ id, name: orgNames.get(id) ?? id })),
    authorities: [...finalizers].sort().map((publicKey) => ({
      publicKey,
      ...(authorityNames.has(publicKey) && { name: authorityNames.get(publicKey) }),
    })),
    problems,
  };
}

function checkBlock(
  block: BundleBlock,
  height: number,
  chainId: string,
  validators: string[],
  verifier?: SignatureVerifier,
): BlockCheck {
  const header = block.header;
  const shape = headerShapeProblem(header);
  if (shape)
    return { header, ok: false, reason: `its header is malformed: ${shape.message}`, signers: [] };
  if (header.chainId !== chainId || header.height !== height) {
    return { header, ok: false, reason: 'its header is for another chain or height', signers: [] };
  }
  if (header.validatorsHash !== validatorsHash(validators)) {
    return {
      header,
      ok: false,
      reason: `its header names a validator set that is not the chain's authorities at height ${height}`,
      signers: [],
    };
  }
  const check = verifyCommitCertificate({
    certificate: block.commit,
    chainId,
    validators,
    header,
    ...(verifier && { verifier }),
  });
  if (!check.ok) return { header, ok: false, reason: check.reason, signers: [] };
  return { header, ok: true, signers: block.commit.signatures.map((s) => s.validator) };
}

function txIncluded(check: TxCheck, blocks: Map<number, BlockCheck>): boolean {
  const block = blocks.get(check.height);
  return (
    block?.ok === true &&
    check.proof !== undefined &&
    verifyInclusion(check.hash, check.proof, block.header.txRoot)
  );
}

function checkRecord(record: BundleRecord, blocks: Map<number, BlockCheck>): Thing | string {
  if (!isObject(record) || !isObject(record.change) || record.change.kind !== 'thing')
    return 'a record is malformed';
  const thing = record.change.value;
  const block = blocks.get(record.height);
  if (!block?.ok) return `${thing.epc}: its record's block ${record.height} is not final`;
  if (stateRootFrom(record.prevStateRoot, record.changesRoot) !== block.header.stateRoot) {
    return `${thing.epc}: its record does not match block ${record.height}'s state root`;
  }
  if (
    !verifyInclusion(stateChangeHash(record.change), record.proof, record.changesRoot) ||
    record.change.key !== thing.epc
  ) {
    return `${thing.epc}: its record is not in block ${record.height}'s state changes (proof fails)`;
  }
  if (!Array.isArray(record.events)) return `${thing.epc}: its record lists no events`;
  const chain = eventChainOf(record.events);
  if (chain.head !== thing.history.head || chain.count !== thing.history.count) {
    return `${thing.epc}: its history holds ${thing.history.count} events; the bundle lists ${record.events.length} that do not match it`;
  }
  return thing;
}

/**
 * Steps of the pallets the subject was packed in, from its packing until it left (unpacked, or
 * decommissioned out of the case). The pallet's proven history must hold the packing and, when the
 * subject left, its leaving: a pallet record that is missing or older than that cannot show what
 * happened to the subject inside it, which is a problem, not a shorter journey.
 */
function palletSteps(
  subject: string,
  own: JourneyStep[],
  records: Map<string, { events: string[]; complete: boolean }>,
  stepOf: (hash: string, complete: boolean, via?: string) => JourneyStep | undefined,
  problems: string[],
): JourneyStep[] {
  const out: JourneyStep[] = [];
  const ownHashes = new Set(own.map((s) => s.hash));
  own.forEach((packStep, i) => {
    if (packStep.type !== 'aggregate.pack') return;
    const { parent, children } = packStep.tx.payload as { parent: string; children: string[] };
    if (!children.includes(subject)) return;
    const exit = own.slice(i + 1).find((step) => leaves(step, subject, parent));
    const pallet = records.get(parent);
    const start = pallet ? pallet.events.indexOf(packStep.hash) : -1;
    const end = pallet && exit ? pallet.events.indexOf(exit.hash) : pallet?.events.length;
    if (!pallet || start === -1 || end === undefined || end === -1) {
      problems.push(
        `${subject} travelled in ${parent}, but the bundle proves no record of ${parent} that covers that time`,
      );
      return;
    }
    for (const hash of pallet.events.slice(start + 1, end)) {
      if (ownHashes.has(hash)) continue;
      const step = stepOf(hash, pallet.complete, parent);
      if (step) out.push(step);
    }
  });
  return out;
}

/** True when `step` takes `subject` out of the unit `parent`. */
function leaves(step: JourneyStep, subject: string, parent: string): boolean {
  if (step.tx.type === 'aggregate.unpack') {
    const { children } = step.tx.payload;
    return (
      step.tx.payload.parent === parent && (children === undefined || children.includes(subject))
    );
  }
  return step.tx.type === 'product.decommission' && step.tx.payload.epcs.includes(subject);
}
