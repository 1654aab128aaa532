/** The organization page: who it is, its keys, what it holds and what it did. */
import { nodeQuery } from '@/lib/node';

export interface Member {
  publicKey: string;
  role: string;
  label: string | null;
  active: boolean;
  addedAt: number;
  revokedAt: number | null;
}

export interface Holding {
  epc: string;
  kind: string;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  sscc: string | null;
  status: string;
  quantity: string | null;
  unit: string | null;
}

export interface OrgActivity {
  hash: string;
  type: string | null;
  height: number | null;
  tx: unknown;
}

export interface OrgLocation {
  gln: string;
  name: string;
  address: { city: string; country: string } | null;
}

export interface OrganizationDetail {
  id: string;
  name: string;
  roles: string[];
  gln: string | null;
  registeredAt: number;
  members: Member[];
  locations: OrgLocation[];
  holdings: { things: Holding[]; nextCursor: string | null };
  activity: { transactions: OrgActivity[]; nextCursor: string | null };
  incomingTransfers: { id: string }[];
  outgoingTransfers: { id: string }[];
}

export function fetchOrganization(
  id: string,
  holdingsAfter?: string,
  activityAfter?: string,
): Promise<{ organization: OrganizationDetail | null }> {
  return nodeQuery(
    `query ($id: String!, $h: String, $a: String) { organization(id: $id) {
      id name roles gln registeredAt
      members { publicKey role label active addedAt revokedAt }
      locations { gln name address { city country } }
      holdings(first: 20, after: $h) { things { epc kind gtin lot serial sscc status quantity unit } nextCursor }
      activity(first: 20, after: $a) { transactions { hash type height tx } nextCursor }
      incomingTransfers { id }
      outgoingTransfers { id }
    } }`,
    { id, h: holdingsAfter, a: activityAfter },
  );
}
