/** What the staff desk knows about the signed-in member, its organization and the chain. */
import type { OrgRole } from '@waybill/shared/tx';

export interface OrgSummary {
  id: string;
  name: string;
  roles: string[];
  gln?: string | null;
}

/** A key as `member(publicKey)` reports it: the organization it signs for and its state. */
export interface Member {
  publicKey: string;
  orgId: string;
  role: string;
  active: boolean;
  label?: string | null;
  addedAt?: number;
  revokedAt?: number | null;
}

/** A place an organization defined (`location.define`), where its events can be recorded. */
export interface OrgLocation {
  gln: string;
  name: string;
  address?: { city: string; country: string } | null;
}

/** The signed-in member's organization, with its locations (read at sign-in). */
export interface StaffOrg extends OrgSummary {
  locations: OrgLocation[];
}

/**
 * The signed-in member. The secret key is held as bytes in memory only (React state of the staff
 * layout): never in storage, never in a request; signing out zeroes it.
 */
export interface StaffSession {
  readonly publicKey: string;
  readonly secretKey: Uint8Array;
  readonly label?: string;
  readonly role: string;
  readonly org: StaffOrg;
  readonly chainId: string;
}

/** An item, lot or logistic unit as the node reports its current state. */
export interface ThingState {
  epc: string;
  kind: string;
  custodian: string;
  owner: string;
  status: string;
  parent?: string | null;
  pendingTransfer?: string | null;
  children: string[];
}

/** A handover of custody as the node lists it. */
export interface Transfer {
  id: string;
  from: string;
  to: string;
  epcs: string[];
  status: string;
  createdAt: number;
}

export function hasRole(org: OrgSummary, role: OrgRole): boolean {
  return org.roles.includes(role);
}
