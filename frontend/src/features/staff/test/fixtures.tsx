/**
 * Fixtures of the staff desk's tests: a member key, its organization, things in every state a
 * pre-check cares about, and a fake node behind `fetch` that answers the desk's queries and
 * records what was submitted. Signing, hashing and GS1 are shared's real code.
 */
import type { SubmitResult } from '@waybill/shared/client';
import { gs1CheckDigit, itemEpc, lotEpc, unitEpc } from '@waybill/shared/gs1';
import { TEST_CHAIN_ID, testKey } from '@waybill/shared/testing';
import { decodeTx, txHash, type SignedTx } from '@waybill/shared/tx';
import type { ReactElement } from 'react';
import { graphqlFetch, renderWithNode } from '../../../../test/render';
import { StaffProvider } from '../hooks/session';
import type { KeystoreDecryptor } from '../workers/decrypt';
import { decryptKeystoreAsync } from '@waybill/shared/keys';
import type { Member, OrgSummary, StaffOrg, StaffSession, ThingState, Transfer } from '../types';

export const CHAIN_ID = TEST_CHAIN_ID;
export const MEMBER = testKey('rotterdam-cold-hub/staff-1');
export const OTHER_MEMBER = testKey('nordic-reefer/staff-1');

const withCheck = (body: string) => `${body}${String(gs1CheckDigit(body))}`;

export const ORG_GLN = withCheck('871234500001');
export const DOCK_GLN = withCheck('871234500014');
export const CHAMBER_GLN = withCheck('871234500022');
export const ORG: StaffOrg = {
  id: 'rotterdam-cold-hub',
  name: 'Rotterdam Cold Hub',
  roles: ['warehouse'],
  gln: ORG_GLN,
  locations: [
    { gln: DOCK_GLN, name: 'Dock 4', address: { city: 'Rotterdam', country: 'NL' } },
    { gln: CHAMBER_GLN, name: 'Chamber C2', address: { city: 'Rotterdam', country: 'NL' } },
  ],
};
export const CARRIER_GLN = withCheck('871234600001');
/** An organization with a GLN of its own but no locations defined. */
export const CARRIER: StaffOrg = {
  id: 'nordic-reefer',
  name: 'Nordic Reefer Logistics',
  roles: ['carrier'],
  gln: CARRIER_GLN,
  locations: [],
};
export const RETAILER: StaffOrg = {
  id: 'green-basket',
  name: 'Green Basket',
  roles: ['retailer'],
  gln: null,
  locations: [],
};
export const ORGS = [ORG, CARRIER, RETAILER];

export const ADMIN = testKey('rotterdam-cold-hub/admin');

/** The keys the fake chain knows: the org's admin and the member; OTHER_MEMBER is unknown. */
export const MEMBERS: Member[] = [
  { publicKey: ADMIN.publicKey, orgId: ORG.id, role: 'admin', active: true, addedAt: 2 },
  {
    publicKey: MEMBER.publicKey,
    orgId: ORG.id,
    role: 'staff',
    active: true,
    label: 'Dock 4 scanner',
    addedAt: 3,
    revokedAt: null,
  },
];

export const GTIN = '09520123456788';
export const HELD = itemEpc(GTIN, '1001');
export const HELD_2 = itemEpc(GTIN, '1002');
export const ELSEWHERE = itemEpc(GTIN, '2001');
export const PENDING = itemEpc(GTIN, '3001');
export const GONE = itemEpc(GTIN, '4001');
export const PACKED = itemEpc(GTIN, '5001');
export const UNKNOWN = itemEpc(GTIN, '9999');
export const LOT = lotEpc(GTIN, 'L42');
export const PALLET = unitEpc(withCheck('38712345000000001'));
export const FOREIGN_PALLET = unitEpc(withCheck('38712345000000002'));
export const NEW_PALLET = unitEpc(withCheck('38712345000000003'));

export const PENDING_TRANSFER = 'ab'.repeat(32);

function thing(epc: string, fields: Partial<ThingState> = {}): ThingState {
  return {
    epc,
    kind: epc.includes('/00/') ? 'unit' : epc.includes('/10/') ? 'lot' : 'item',
    custodian: ORG.id,
    owner: ORG.id,
    status: 'active',
    parent: null,
    pendingTransfer: null,
    children: [],
    ...fields,
  };
}

export const THINGS: Record<string, ThingState> = {
  [HELD]: thing(HELD),
  [HELD_2]: thing(HELD_2),
  [LOT]: thing(LOT),
  [ELSEWHERE]: thing(ELSEWHERE, { custodian: CARRIER.id, owner: CARRIER.id }),
  [PENDING]: thing(PENDING, { status: 'in_transit', pendingTransfer: PENDING_TRANSFER }),
  [GONE]: thing(GONE, { status: 'decommissioned' }),
  [PACKED]: thing(PACKED, { parent: PALLET }),
  [PALLET]: thing(PALLET, { children: [PACKED] }),
  [FOREIGN_PALLET]: thing(FOREIGN_PALLET, { custodian: CARRIER.id, owner: CARRIER.id }),
};

export const INCOMING: Transfer = {
  id: 'cd'.repeat(32),
  from: CARRIER.id,
  to: ORG.id,
  epcs: [ELSEWHERE],
  status: 'pending',
  createdAt: 41,
};
export const OUTGOING: Transfer = {
  id: PENDING_TRANSFER,
  from: ORG.id,
  to: RETAILER.id,
  epcs: [PENDING],
  status: 'pending',
  createdAt: 40,
};

export interface FakeNodeOptions {
  things?: Record<string, ThingState | null>;
  /** The organizations list; an Error makes the query fail as on nodes without it. */
  organizations?: OrgSummary[] | Error;
  /** The keys `member(publicKey)` knows; an Error makes that query fail. */
  members?: Member[] | Error;
  inbox?: { incoming: Transfer[]; outgoing: Transfer[] } | Error;
  submit?: (tx: SignedTx) => Partial<SubmitResult>;
  /** What `transaction(hash)` answers for these hashes (null: unknown); others are PENDING. */
  transactions?: Record<string, Record<string, unknown> | null>;
}

export type FakeNode = ReturnType<typeof graphqlFetch> & {
  /** The transactions submitted, decoded. */
  submitted: () => SignedTx[];
  /** The one transaction submitted; throws unless exactly one was. */
  onlySubmitted: () => SignedTx;
  /** Every request body, as sent. */
  bodies: () => string[];
};

const error = (message: string, code = 'INTERNAL') => ({
  errors: [{ message, extensions: { code } }],
});

export function fakeNode(options: FakeNodeOptions = {}): FakeNode {
  const things = options.things ?? THINGS;
  const organizations = options.organizations ?? ORGS;
  const members = options.members ?? MEMBERS;
  const inbox = options.inbox ?? { incoming: [INCOMING], outgoing: [OUTGOING] };
  const fetch = graphqlFetch((query, variables) => {
    if (query.includes('submitTransaction')) {
      const tx = decodeTx(variables.tx);
      return {
        data: {
          submitTransaction: {
            index: 0,
            hash: txHash(tx),
            status: 'PENDING',
            ...options.submit?.(tx),
          },
        },
      };
    }
    if (query.includes('thing(epc:')) {
      const data: Record<string, ThingState | null> = {};
      for (const [name, epc] of Object.entries(variables)) {
        data[`t${name.slice(1)}`] = things[String(epc)] ?? null;
      }
      return { data };
    }
    if (query.includes('organizations(')) {
      return organizations instanceof Error
        ? error(organizations.message, 'GRAPHQL_VALIDATION_FAILED')
        : { data: { organizations: { organizations, nextCursor: null } } };
    }
    if (query.includes('incomingTransfers')) {
      if (inbox instanceof Error) return error(inbox.message, 'UNREACHABLE');
      return {
        data: {
          organization: {
            id: variables.id,
            incomingTransfers: inbox.incoming,
            outgoingTransfers: inbox.outgoing,
          },
        },
      };
    }
    if (query.includes('member(publicKey')) {
      if (members instanceof Error) return error(members.message, 'UNREACHABLE');
      const key = String(variables.publicKey);
      if (!/^[0-9a-f]{64}$/.test(key)) {
        return error(`publicKey "${key}" is not 64 lowercase hex digits`, 'BAD_REQUEST');
      }
      return { data: { member: members.find((m) => m.publicKey === key) ?? null } };
    }
    if (query.includes('organization(id')) {
      return { data: { organization: ORGS.find((o) => o.id === variables.id) ?? null } };
    }
    if (query.includes('chain {')) return { data: { chain: { chainId: CHAIN_ID } } };
    if (query.includes('transaction(hash')) {
      const hash = String(variables.hash);
      if (options.transactions && hash in options.transactions) {
        return { data: { transaction: options.transactions[hash] ?? null } };
      }
      return { data: { transaction: { hash: variables.hash, status: 'PENDING' } } };
    }
    return error(`unexpected query ${query}`);
  });
  const submitted = () =>
    fetch.calls
      .filter((call) => call.query.includes('submitTransaction'))
      .map((call) => decodeTx(call.variables.tx));
  return Object.assign(fetch, {
    submitted,
    onlySubmitted: () => {
      const [tx, ...more] = submitted();
      if (!tx || more.length > 0) {
        throw new Error(`expected one submitted transaction, got ${String(submitted().length)}`);
      }
      return tx;
    },
    bodies: () => fetch.calls.map((call) => JSON.stringify(call)),
  });
}

export function session(overrides: Partial<StaffSession> = {}): StaffSession {
  return {
    publicKey: MEMBER.publicKey,
    // A copy: signing out zeroes the session's bytes.
    secretKey: Uint8Array.from(MEMBER.secretKey),
    label: 'Dock 4 scanner',
    role: 'staff',
    org: ORG,
    chainId: CHAIN_ID,
    ...overrides,
  };
}

/** Opens keystores on the main thread: the seam that stands in for the worker. */
export const directDecrypt: KeystoreDecryptor = (keystore, passphrase, options) =>
  decryptKeystoreAsync(keystore, passphrase, { onProgress: options?.onProgress });

export function renderStaff(ui: ReactElement, signedIn: StaffSession | null = session()) {
  return renderWithNode(
    <StaffProvider initialSession={signedIn} decrypt={directDecrypt}>
      {ui}
    </StaffProvider>,
  );
}
