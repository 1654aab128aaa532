/**
 * The ledger's state as plain data: the records the state machine reads and writes. The node
 * persists exactly these records (one table per kind); tests keep them in a Map.
 */
import type { MemberRole, OrgRole, PayloadOf, TxType } from '../tx/index.js';

export interface Organization {
  id: string;
  name: string;
  roles: OrgRole[];
  gln?: string;
  registeredAt: number;
}

export interface Member {
  publicKey: string;
  orgId: string;
  role: MemberRole;
  label?: string;
  active: boolean;
  addedAt: number;
  revokedAt?: number;
}

export type StorageCondition = NonNullable<PayloadOf<'product.define'>['conditions']>[number];

export interface ProductClass {
  gtin: string;
  /** The manufacturer that first defined the GTIN; only it commissions and updates. */
  owner: string;
  name: string;
  description?: string;
  brand?: string;
  imageHash?: string;
  imageUrl?: string;
  conditions?: StorageCondition[];
  definedAt: number;
}

export type ThingKind = 'item' | 'lot' | 'unit';
/** Stored status; `recalled` is derived from open recalls (see statusOf). */
export type StoredStatus = 'active' | 'in_transit' | 'decommissioned';
export type ThingStatus = StoredStatus | 'recalled';

export interface Thing {
  epc: string;
  kind: ThingKind;
  gtin?: string;
  serial?: string;
  lot?: string;
  sscc?: string;
  quantity?: string;
  unit?: string;
  expiry?: string;
  owner: string;
  custodian: string;
  status: StoredStatus;
  decommissionReason?: string;
  /** The logistic unit (SSCC EPC) this thing is packed in. */
  parent?: string;
  children: string[];
  /** Handover waiting for the receiver; at most one. */
  pendingTransfer?: string;
  /** Transformation inputs this thing was made from. */
  inputs?: string[];
  /**
   * Hash chain of every event that touched this thing: `head = sha256(head || txHash)` from 64
   * zeros. A provenance bundle proves this record, so a dropped event cannot go unnoticed.
   */
  history: EventChain;
  createdAt: number;
  createdBy: string;
}

export interface EventChain {
  count: number;
  head: string;
}

export type TransferStatus = 'pending' | 'accepted' | 'rejected' | 'cancelled';

export interface Transfer {
  id: string;
  from: string;
  to: string;
  epcs: string[];
  status: TransferStatus;
  createdAt: number;
  closedAt?: number;
  closedBy?: string;
}

export type Location = PayloadOf<'location.define'> & { orgId: string; definedAt: number };

export interface Recall {
  id: string;
  gtin: string;
  lots?: string[];
  serials?: string[];
  reason: string;
  issuer: string;
  open: boolean;
  issuedAt: number;
  closedAt?: number;
  closedBy?: string;
}

export interface Authority {
  publicKey: string;
  name?: string;
}

export interface AuthorityVoteTally {
  action: 'add' | 'remove';
  authority: string;
  name?: string;
  voters: string[];
}

export interface AuthorityChange {
  /** First height the changed set validates. */
  height: number;
  action: 'add' | 'remove';
  authority: string;
  name?: string;
  tx: string;
}

export interface AuthoritySet {
  /** Sorted by public key: the proposer order. */
  authorities: Authority[];
  votes: AuthorityVoteTally[];
  history: AuthorityChange[];
}

/** A recorded EPCIS-style event, kept so corrections can name it and be authorized. */
export interface EventRecord {
  hash: string;
  type: TxType;
  org: string;
  height: number;
  epcs: string[];
  corrections: string[];
}

/** An EPCIS event captured on chain, under its GS1 event hash: each is recorded once. */
export interface EpcisEventRecord {
  eventHash: string;
  /** The transaction that carries it. */
  tx: string;
  height: number;
}

/** One of the two votes of an equivocation, as the `authority.evidence` payload carries it. */
export type EvidenceVote = PayloadOf<'authority.evidence'>['first'];

/**
 * Proof that an authority signed two different votes for the same height, round and type,
 * recorded by `authority.evidence` under `evidenceKey` (`validator:height:round:type`), once.
 */
export interface Evidence {
  /** The equivocating authority. */
  validator: string;
  height: number;
  round: number;
  type: EvidenceVote['type'];
  /** The two votes as the transaction carried them; their block hashes differ. */
  first: EvidenceVote;
  second: EvidenceVote;
  /** The authority that signed the `authority.evidence` transaction. */
  reporter: string;
  /** Height of the block that recorded it. */
  recordedAt: number;
  /** Hash of the `authority.evidence` transaction. */
  tx: string;
}

export interface RecordTypes {
  organization: Organization;
  member: Member;
  product: ProductClass;
  thing: Thing;
  transfer: Transfer;
  location: Location;
  recall: Recall;
  event: EventRecord;
  authorities: AuthoritySet;
  evidence: Evidence;
  epcisEvent: EpcisEventRecord;
}
export type RecordKind = keyof RecordTypes;
export const RECORD_KINDS: readonly RecordKind[] = [
  'organization',
  'member',
  'product',
  'thing',
  'transfer',
  'location',
  'recall',
  'event',
  'authorities',
  'evidence',
  'epcisEvent',
];
/** The single key of the authority set record. */
export const AUTHORITIES_KEY = 'current';

/** One record written by a transaction: its whole new value. */
export type StateChange = {
  [K in RecordKind]: { kind: K; key: string; value: RecordTypes[K] };
}[RecordKind];

export type MaybePromise<T> = T | Promise<T>;

/** Read access to the state; the node backs it with SQLite, tests with a Map. */
export interface StateReader {
  get<K extends RecordKind>(kind: K, key: string): MaybePromise<RecordTypes[K] | undefined>;
  /** True when a transaction with this hash is already on chain. */
  hasTx(hash: string): MaybePromise<boolean>;
}
