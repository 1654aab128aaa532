/** The authorities page: the current set, open votes, the history of changes and evidence. */
import { nodeQuery } from '@/lib/node';

export interface AuthorityRow {
  publicKey: string;
  name: string | null;
  lastSignedHeight: number | null;
  lastSignedAt: string | null;
  evidenceCount: number;
}

export interface AuthorityProposal {
  action: string;
  authority: string;
  name: string | null;
  /** Authorities that voted for it. */
  voters: string[];
  votes: number;
  needed: number;
}

export interface AuthorityChange {
  height: number;
  action: string;
  authority: string;
  name: string | null;
  txHash: string | null;
}

export interface Evidence {
  txHash: string;
  validator: string;
  height: number;
  round: number;
  type: string;
  firstBlockHash: string | null;
  secondBlockHash: string | null;
  recordedAt: number;
  reporter: string;
}

export interface AuthoritiesData {
  chain: { height: number; authorities: AuthorityRow[] };
  pendingAuthorityVotes: AuthorityProposal[];
  authorityChanges: { changes: AuthorityChange[]; nextCursor: string | null };
  evidence: { evidence: Evidence[]; nextCursor: string | null };
}

export function fetchAuthorities(): Promise<AuthoritiesData> {
  return nodeQuery<AuthoritiesData>(`{
    chain { height authorities { publicKey name lastSignedHeight lastSignedAt evidenceCount } }
    pendingAuthorityVotes { action authority name voters votes needed }
    authorityChanges(first: 50) { changes { height action authority name txHash } nextCursor }
    evidence(first: 20) { evidence { txHash validator height round type firstBlockHash secondBlockHash recordedAt reporter } nextCursor }
  }`);
}
