'use client';
/**
 * The organizations of the consortium, for pickers. Reads `organizations(first, after)` page by
 * page; a node that does not answer it (older nodes lack the query) yields `unavailable`, and
 * the pickers fall back to a text field for the organization id.
 */
import { useEffect, useState } from 'react';
import { useNodeClient } from '@/lib/browser-node';
import { ORGANIZATIONS_QUERY } from '../queries';
import type { OrgSummary } from '../types';

export type OrganizationList =
  | { status: 'loading' }
  | { status: 'ready'; organizations: OrgSummary[] }
  | { status: 'unavailable'; reason: string };

const PAGE = 100;
const MAX_PAGES = 20;

interface Page {
  organizations: { organizations: OrgSummary[]; nextCursor?: string | null } | null;
}

export function useOrganizations(): OrganizationList {
  const client = useNodeClient();
  const [list, setList] = useState<OrganizationList>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    const load = async () => {
      const all: OrgSummary[] = [];
      let after: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const data: Page = await client.request<Page>(ORGANIZATIONS_QUERY, {
          first: PAGE,
          after,
        });
        if (!data.organizations) break;
        all.push(...data.organizations.organizations);
        after = data.organizations.nextCursor ?? null;
        if (after === null) break;
      }
      return all.sort((a, b) => a.name.localeCompare(b.name));
    };
    load().then(
      (organizations) => {
        if (live) setList({ status: 'ready', organizations });
      },
      (error: unknown) => {
        if (live)
          setList({
            status: 'unavailable',
            reason: error instanceof Error ? error.message : String(error),
          });
      },
    );
    return () => {
      live = false;
    };
  }, [client]);
  return list;
}
