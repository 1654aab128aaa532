/**
 * The authority set for the operators' page: when each authority last signed a finalized block,
 * the open `authority.vote` proposals, the history of applied changes, and which authorities of
 * a block's set signed its commit certificate.
 *
 * Last signatures are kept in memory, not queried per request: at start-up one SQL aggregate over
 * the certificates of the last {@link SIGNATURE_WINDOW} blocks fills the map, and each finalized
 * block updates it. An authority that signed none of those blocks and nothing since shows none.
 */
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { CommitCertificate } from '@waybill/shared/block';
import { AUTHORITIES_KEY, voteMajority, type AuthorityChange } from '@waybill/shared/state';
import { ChainService } from '../chain/chain.service.js';
import type {
  AuthorityChangeModel,
  AuthorityChangePage,
  AuthorityProposalModel,
  BlockSignerModel,
} from './models.js';

/** How many of the latest blocks the start-up scan reads. */
export const SIGNATURE_WINDOW = 1_000;

export interface LastSigned {
  height: number;
  /** The block's timestamp. */
  timestamp: string;
}

@Injectable()
export class AuthoritiesService implements OnModuleInit, OnModuleDestroy {
  private readonly lastSignedBy = new Map<string, LastSigned>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly chain: ChainService) {}

  async onModuleInit(): Promise<void> {
    // Listen first: a block finalized during the scan is counted either way (latest wins).
    this.unsubscribe = this.chain.onFinalized(({ block }) => {
      for (const { validator } of block.commit.signatures)
        this.record(validator, { height: block.header.height, timestamp: block.header.timestamp });
    });
    const rows = await this.chain.lastSignedAbove(
      Math.max(0, this.chain.height - SIGNATURE_WINDOW),
    );
    for (const row of rows)
      this.record(row.validator, { height: row.height, timestamp: row.timestamp });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private record(validator: string, signed: LastSigned): void {
    const known = this.lastSignedBy.get(validator);
    if (!known || known.height < signed.height) this.lastSignedBy.set(validator, signed);
  }

  /** The latest finalized block whose certificate carries the authority's signature, if known. */
  lastSigned(publicKey: string): LastSigned | undefined {
    return this.lastSignedBy.get(publicKey);
  }

  /** Open proposals, as the authority set records them, with the majority they need. */
  async pendingVotes(): Promise<AuthorityProposalModel[]> {
    const set = await this.chain.state.get('authorities', AUTHORITIES_KEY);
    if (!set) return [];
    const needed = voteMajority(set.authorities.length);
    return set.votes.map((vote) => ({
      action: vote.action,
      authority: vote.authority,
      ...(vote.name !== undefined && { name: vote.name }),
      voters: [...vote.voters],
      votes: vote.voters.length,
      needed,
    }));
  }

  /**
   * Applied changes, newest first: the genesis authorities (as additions at height 0), then every
   * change the set records. The cursor is the position of the last change returned in that
   * oldest-first list, which only ever grows at its end.
   */
  async changes(first: number, after?: number): Promise<AuthorityChangePage> {
    const set = await this.chain.state.get('authorities', AUTHORITIES_KEY);
    const genesis: AuthorityChangeModel[] = [...this.chain.genesis.authorities]
      .sort((a, b) => (a.publicKey < b.publicKey ? -1 : a.publicKey > b.publicKey ? 1 : 0))
      .map((a) => ({
        height: 0,
        action: 'add',
        authority: a.publicKey,
        name: a.name,
      }));
    const all = [...genesis, ...(set?.history ?? []).map(changeModel)];
    const end = Math.min(after ?? all.length, all.length);
    const start = Math.max(0, end - first);
    return {
      changes: all.slice(start, end).reverse(),
      ...(start > 0 && { nextCursor: String(start) }),
    };
  }

  /** Each authority of the set that certified the block, and whether it signed the certificate. */
  async signersOf(height: number, commit: CommitCertificate): Promise<BlockSignerModel[]> {
    // Genesis is not certified: it has no signers.
    if (height === 0) return [];
    const signed = new Set(commit.signatures.map((s) => s.validator));
    return (await this.chain.validatorsAt(height)).map((a) => ({
      publicKey: a.publicKey,
      ...(a.name !== undefined && { name: a.name }),
      signed: signed.has(a.publicKey),
    }));
  }
}

function changeModel(change: AuthorityChange): AuthorityChangeModel {
  return {
    height: change.height,
    action: change.action,
    authority: change.authority,
    ...(change.name !== undefined && { name: change.name }),
    txHash: change.tx,
  };
}
