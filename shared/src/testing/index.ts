/**
 * Deterministic test fixtures, in one place for every package: named keys derived from their
 * names, and a chain in memory that signs, executes and certifies real blocks with the protocol's
 * own code. Not for production: the keys are public by construction.
 */
import {
  blockHash,
  createCommitCertificate,
  createGenesisHeader,
  proposerFor,
  signVote,
  txRootItems,
  txRootOf,
  validatorsHash,
  type Block,
  type BlockHeader,
  type GenesisConfig,
} from '../block/index.js';
import { publicKeyOf } from '../crypto/index.js';
import { bytesToHex, sha256, utf8ToBytes } from '../encoding/index.js';
import { WaybillError } from '../errors.js';
import { gs1CheckDigit } from '../gs1/index.js';
import { inclusionProof, merkleRoot } from '../merkle/index.js';
import type { BundleSource } from '../bundle/index.js';
import {
  EVENT_TYPES,
  executeTxs,
  genesisChanges,
  InMemoryState,
  isCoveredBy,
  isRecordedRefusal,
  stateChangeHash,
  type BlockExecution,
  type ProvenanceGraph,
  type StateChange,
} from '../state/index.js';
import {
  createTx,
  txHash,
  type OrgRole,
  type PayloadOf,
  type SignedTx,
  type SignedTxOf,
  type TxType,
} from '../tx/index.js';

export interface TestKey {
  readonly name: string;
  readonly secretKey: Uint8Array;
  readonly publicKey: string;
}

/** A key derived from its name: `sha256("waybill-test-key:" + name)` is the secret. */
export function testKey(name: string): TestKey {
  const secretKey = sha256(utf8ToBytes(`waybill-test-key:${name}`));
  return { name, secretKey, publicKey: bytesToHex(publicKeyOf(secretKey)) };
}

export const TEST_CHAIN_ID = 'waybill-test';
export const TEST_GENESIS_TIME = '2026-11-23T12:00:00.000Z';

export interface TestChainOptions {
  chainId?: string;
  /** Number of authorities, named authority-0, authority-1, ... */
  authorities?: number;
  genesisTime?: string;
  /** Milliseconds between consecutive block timestamps. */
  blockIntervalMs?: number;
}

export interface CommittedBlock {
  block: Block<SignedTx>;
  hash: string;
  execution: BlockExecution;
}

/** A single-process chain: every block is executed, then certified by every authority. */
export class TestChain {
  readonly chainId: string;
  readonly genesis: GenesisConfig;
  readonly authorityKeys: TestKey[];
  readonly state: InMemoryState;
  readonly blocks: CommittedBlock[] = [];
  private head: BlockHeader;
  private nonce = 0;
  private readonly txIndex = new Map<string, { tx: SignedTx; height: number; leafIndex: number }>();
  private readonly eventsByEpc = new Map<string, string[]>();
  private readonly intervalMs: number;

  constructor(options: TestChainOptions = {}) {
    this.chainId = options.chainId ?? TEST_CHAIN_ID;
    this.intervalMs = options.blockIntervalMs ?? 1000;
    this.authorityKeys = Array.from({ length: options.authorities ?? 4 }, (_, i) =>
      testKey(`authority-${i}`),
    );
    this.genesis = {
      chainId: this.chainId,
      timestamp: options.genesisTime ?? TEST_GENESIS_TIME,
      authorities: this.authorityKeys.map((k) => ({ publicKey: k.publicKey, name: k.name })),
    };
    this.head = createGenesisHeader(this.genesis);
    this.state = new InMemoryState();
    this.state.commit(genesisChanges(this.genesis.authorities), []);
  }

  get height(): number {
    return this.head.height;
  }

  get headHeader(): BlockHeader {
    return this.head;
  }

  /** Timestamp the next block will carry. */
  nextTimestamp(): string {
    return new Date(Date.parse(this.head.timestamp) + this.intervalMs).toISOString();
  }

  /** Signs a transaction with a deterministic nonce. */
  sign<T extends TxType>(type: T, payload: PayloadOf<T>, signer: TestKey): SignedTxOf<T> {
    const nonce = (this.nonce++).toString(16).padStart(32, '0');
    return createTx({ chainId: this.chainId, type, payload, secretKey: signer.secretKey, nonce });
  }

  currentValidators(): string[] {
    return (this.state.get('authorities', 'current')?.authorities ?? []).map((a) => a.publicKey);
  }

  /** Executes `txs` as the next block, leaving out rejected ones, and certifies it. */
  async commit(txs: readonly SignedTx[]): Promise<CommittedBlock> {
    const height = this.head.height + 1;
    const timestamp = this.nextTimestamp();
    const validators = this.currentValidators();
    const execution = await executeTxs(this.state, txs, {
      chainId: this.chainId,
      height,
      timestamp,
      prevStateRoot: this.head.stateRoot,
      settleRejected: true,
    });
    // As a node builds: what the block leaves refused is recorded when its code may be.
    const left = new Set([...execution.rejected.map((r) => r.index), ...execution.deferred]);
    const included = txs.filter((_, i) => !left.has(i));
    const refused = execution.rejected
      .filter((r) => isRecordedRefusal(r.code))
      .map((r) => ({ tx: txs[r.index] as SignedTx, code: r.code }));
    const refusedHashes = execution.rejected
      .filter((r) => isRecordedRefusal(r.code))
      .map((r) => r.hash);
    const header: BlockHeader = {
      chainId: this.chainId,
      height,
      round: 0,
      timestamp,
      prevHash: blockHash(this.head),
      txRoot: txRootOf(
        execution.applied.map((a) => a.hash),
        refused.map((r, i) => ({ hash: refusedHashes[i] as string, code: r.code })),
      ),
      stateRoot: execution.stateRoot,
      validatorsHash: validatorsHash(validators),
      proposer: proposerFor({ validators, height, round: 0 }),
    };
    const hash = blockHash(header);
    const votes = this.authorityKeys
      .filter((k) => validators.includes(k.publicKey))
      .map((k) =>
        signVote(
          {
            type: 'precommit',
            chainId: this.chainId,
            height,
            round: 0,
            blockHash: hash,
            validator: k.publicKey,
          },
          k.secretKey,
        ),
      );
    const commit = createCommitCertificate({
      chainId: this.chainId,
      height,
      round: 0,
      blockHash: hash,
      votes,
      validators,
    });
    this.state.commit(execution.changes, [
      ...execution.applied.map((a) => a.hash),
      ...refusedHashes,
    ]);
    execution.applied.forEach((applied, leafIndex) => {
      const tx = included[leafIndex] as SignedTx;
      this.txIndex.set(applied.hash, { tx, height, leafIndex });
      if (!EVENT_TYPES.has(tx.type)) return;
      for (const epc of applied.subjects)
        this.eventsByEpc.set(epc, [...(this.eventsByEpc.get(epc) ?? []), applied.hash]);
    });
    this.head = header;
    const committed = {
      block: { header, txs: included, ...(refused.length > 0 && { refused }), commit },
      hash,
      execution,
    };
    this.blocks.push(committed);
    return committed;
  }

  /** The chain as a bundle source, answering from memory what a node answers from its database. */
  bundleSource(): BundleSource {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the source's closures outlive `this` binding
    const chain = this;
    const index = this.txIndex;
    const events = this.eventsByEpc;
    const blockAt = (height: number) => chain.blocks[height - 1];
    const txsWhere = (match: (tx: SignedTx) => boolean) =>
      [...index.entries()].filter(([, e]) => match(e.tx)).map(([hash]) => hash);
    return {
      genesis: () => chain.genesis,
      block: (height) => {
        const block = blockAt(height)?.block;
        return block && { header: block.header, commit: block.commit };
      },
      tx: (hash) => {
        const entry = index.get(hash);
        if (!entry) return undefined;
        const block = blockAt(entry.height) as CommittedBlock;
        const proof = inclusionProof(
          txRootItems(
            block.execution.applied.map((a) => a.hash),
            (block.block.refused ?? []).map((r) => ({ hash: txHash(r.tx), code: r.code })),
          ),
          entry.leafIndex,
        );
        return { tx: entry.tx, height: entry.height, proof };
      },
      thingRecord: (epc) => {
        for (let i = chain.blocks.length - 1; i >= 0; i--) {
          const { execution, block } = chain.blocks[i] as CommittedBlock;
          const at = execution.changes.findIndex((c) => c.kind === 'thing' && c.key === epc);
          if (at < 0) continue;
          const leaves = execution.changes.map(stateChangeHash);
          const prevStateRoot =
            i === 0
              ? createGenesisHeader(chain.genesis).stateRoot
              : (chain.blocks[i - 1] as CommittedBlock).block.header.stateRoot;
          return {
            height: block.header.height,
            change: execution.changes[at] as StateChange,
            prevStateRoot,
            changesRoot: merkleRoot(leaves),
            proof: inclusionProof(leaves, at),
            events: events.get(epc) ?? [],
          };
        }
        return undefined;
      },
      authorityVotes: () => txsWhere((tx) => tx.type === 'authority.vote'),
      identityTxs: (key) => {
        const joined = txsWhere(
          (tx) =>
            (tx.type === 'org.register' && tx.payload.admin === key) ||
            (tx.type === 'member.add' && tx.payload.publicKey === key),
        );
        const orgId = chain.state.get('member', key)?.orgId;
        const org = txsWhere(
          (tx) =>
            (tx.type === 'org.register' || tx.type === 'org.update') && tx.payload.orgId === orgId,
        );
        return [...new Set([...joined, ...org])];
      },
      productTxs: (gtin) =>
        txsWhere(
          (tx) =>
            (tx.type === 'product.define' || tx.type === 'recall.issue') &&
            tx.payload.gtin === gtin,
        ).flatMap((hash) => [
          hash,
          ...txsWhere((tx) => tx.type === 'recall.close' && tx.payload.recall === hash),
        ]),
      locationTxs: (gln) =>
        txsWhere(
          (tx) =>
            (tx.type === 'location.define' || tx.type === 'location.update') &&
            tx.payload.gln === gln,
        ),
    };
  }

  /** Signs and commits one transaction in its own block; returns what happened to it. */
  async submit<T extends TxType>(
    type: T,
    payload: PayloadOf<T>,
    signer: TestKey,
  ): Promise<SubmitResult> {
    const tx = this.sign(type, payload, signer) as SignedTx;
    const { execution, block } = await this.commit([tx]);
    const rejection = execution.rejected[0];
    return rejection
      ? { ok: false, code: rejection.code, message: rejection.message, path: rejection.path, tx }
      : { ok: true, hash: execution.applied[0]?.hash ?? '', height: block.header.height, tx };
  }
}

export type SubmitResult =
  | { ok: true; hash: string; height: number; tx: SignedTx }
  | { ok: false; code: string; message: string; path: string | undefined; tx: SignedTx };

/** The recall walk's lookups over a state in memory (the node answers them from SQLite). */
export function memoryProvenanceGraph(state: InMemoryState): ProvenanceGraph {
  const things = () => state.all('thing').sort((a, b) => (a.epc < b.epc ? -1 : 1));
  return {
    thing: (epc) => Promise.resolve(state.get('thing', epc)),
    madeFrom: (epc) =>
      Promise.resolve(
        things()
          .filter((t) => t.inputs?.includes(epc))
          .map((t) => t.epc),
      ),
    covered: (recall, limit) =>
      Promise.resolve(
        things()
          .filter((t) => isCoveredBy(t, recall))
          .slice(0, limit)
          .map((t) => t.epc),
      ),
    openRecalls: (gtin) =>
      Promise.resolve(state.all('recall').filter((r) => r.open && r.gtin === gtin)),
  };
}

/** Appends the GS1 check digit: `withCheckDigit("950600013435")` is a valid GTIN-13. */
export function withCheckDigit(digits: string): string {
  return `${digits}${gs1CheckDigit(digits)}`;
}

/** A small supply chain: one organization of each role, with an admin and a staff key each. */
export const PARTICIPANTS = {
  acme: { name: 'Acme Dairy', roles: ['manufacturer'], gln: withCheckDigit('950600000001') },
  swift: { name: 'Swift Freight', roles: ['carrier'], gln: withCheckDigit('950600000002') },
  cold: { name: 'Rotterdam Cold Store', roles: ['warehouse'], gln: withCheckDigit('950600000003') },
  shop: { name: 'Corner Grocer', roles: ['retailer'], gln: withCheckDigit('950600000004') },
  fda: {
    name: 'Food Safety Inspectorate',
    roles: ['inspector'],
    gln: withCheckDigit('950600000005'),
  },
} as const satisfies Record<string, { name: string; roles: OrgRole[]; gln: string }>;
export type ParticipantId = keyof typeof PARTICIPANTS;

/** GTIN-14 of the fixture's product classes. */
export const TEST_GTINS = {
  milk: `0${withCheckDigit('950600013435')}`,
  cheese: `0${withCheckDigit('950600013436')}`,
  yoghurt: `0${withCheckDigit('950600013437')}`,
} as const;

export interface Participants {
  admin: Record<ParticipantId, TestKey>;
  staff: Record<ParticipantId, TestKey>;
}

const PARTICIPANT_IDS = Object.keys(PARTICIPANTS) as ParticipantId[];

/** The participants' admin and staff keys: `testKey("acme-admin")`, `testKey("acme-staff")`, ... */
export function participantKeys(): Participants {
  const keys = (role: string) =>
    Object.fromEntries(PARTICIPANT_IDS.map((id) => [id, testKey(`${id}-${role}`)])) as Record<
      ParticipantId,
      TestKey
    >;
  return { admin: keys('admin'), staff: keys('staff') };
}

export type Signer = <T extends TxType>(type: T, payload: PayloadOf<T>, key: TestKey) => SignedTx;

/**
 * The transactions that register every participant: `registrations` (signed by `authority`), then
 * `members` (each org's staff key, signed by its admin), which must come after them.
 */
export function participantTransactions(
  sign: Signer,
  authority: TestKey,
  keys: Participants = participantKeys(),
): { registrations: SignedTx[]; members: SignedTx[] } {
  const registrations = PARTICIPANT_IDS.map((id) => {
    const { name, roles, gln } = PARTICIPANTS[id];
    return sign(
      'org.register',
      { orgId: id, name, roles: [...roles], gln, admin: keys.admin[id].publicKey },
      authority,
    );
  });
  const members = PARTICIPANT_IDS.map((id) =>
    sign(
      'member.add',
      { orgId: id, publicKey: keys.staff[id].publicKey, role: 'staff', label: `${id} staff` },
      keys.admin[id],
    ),
  );
  return { registrations, members };
}

/** Registers every participant with an admin and a staff key, in one block. */
export async function registerParticipants(chain: TestChain): Promise<Participants> {
  const keys = participantKeys();
  const sign: Signer = (type, payload, key) => chain.sign(type, payload, key) as SignedTx;
  const { registrations, members } = participantTransactions(
    sign,
    chain.authorityKeys[0] as TestKey,
    keys,
  );
  const { execution } = await chain.commit([...registrations, ...members]);
  if (execution.rejected.length > 0) {
    throw new WaybillError(
      'INVALID_BLOCK',
      `fixture registration failed: ${execution.rejected.map((r) => r.message).join('; ')}`,
    );
  }
  return keys;
}
