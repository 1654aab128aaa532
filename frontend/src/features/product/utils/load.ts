/**
 * What the product pages ask the node, on the server. Each loader is memoized for one request
 * (`cache`), so the page and its metadata share one answer. Errors are the node's
 * (`WaybillClientError`); pages turn them into error states with `attempt`.
 */
import 'server-only';
import { verifyBundle } from '@waybill/shared/bundle';
import type { SignatureVerifier } from '@waybill/shared/crypto';
import { cache } from 'react';
import { nodeQuery } from '@/lib/node';
import type {
  Condition,
  ProductView,
  RecallView,
  RelatedThing,
  ThingSummary,
  ThingView,
  TimelineStep,
} from '../types';
import {
  BUNDLE_QUERY,
  orgNamesQuery,
  PRODUCT_CLASS_QUERY,
  productNamesQuery,
  THING_QUERY,
} from './queries';
import { relatedOf, timelineOf } from './timeline';

export interface ThingData {
  thing: ThingView | null;
  product: ProductView | null;
  /** Open recalls of the thing's GTIN (not only those that cover it). */
  recalls: RecallView[];
}

export const loadThing = cache(
  async (epc: string, gtin: string | undefined): Promise<ThingData> => {
    const data = await nodeQuery<{
      thing: ThingView | null;
      product?: ProductView | null;
      recalls?: RecallView[];
    }>(THING_QUERY, { epc, gtin: gtin ?? '', withProduct: gtin !== undefined });
    return { thing: data.thing, product: data.product ?? null, recalls: data.recalls ?? [] };
  },
);

/** Names of organizations by id; ids the node does not know are left out. */
export async function loadOrgNames(ids: readonly string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)].filter((id) => id !== '');
  if (unique.length === 0) return {};
  const vars = Object.fromEntries(unique.map((id, i) => [`o${i}`, id]));
  const data = await nodeQuery<Record<string, { id: string; name: string } | null>>(
    orgNamesQuery(unique.length),
    vars,
  );
  const names: Record<string, string> = {};
  for (const org of Object.values(data)) if (org) names[org.id] = org.name;
  return names;
}

/** Names of product classes by GTIN; GTINs the node does not know are left out. */
export async function loadProductNames(gtins: readonly string[]): Promise<Record<string, string>> {
  const unique = [...new Set(gtins)].filter((gtin) => gtin !== '');
  if (unique.length === 0) return {};
  const vars = Object.fromEntries(unique.map((gtin, i) => [`p${i}`, gtin]));
  const data = await nodeQuery<Record<string, { gtin: string; name: string } | null>>(
    productNamesQuery(unique.length),
    vars,
  );
  const names: Record<string, string> = {};
  for (const product of Object.values(data)) if (product) names[product.gtin] = product.name;
  return names;
}

export interface JourneyData {
  /** False when the node has no bundle for the thing. */
  found: boolean;
  steps: TimelineStep[];
  related: RelatedThing[];
}

/** Lets every signature through: the layout pass must not be mistaken for verification. */
const ACCEPT_FOR_LAYOUT: SignatureVerifier = () => true;

/**
 * The journey for the first paint, assembled from the node's bundle by `verifyBundle` (the one
 * place that knows which steps belong to a journey). Every step says "checking" until the reader's
 * browser has checked the bundle itself.
 */
export async function loadJourney(
  epc: string,
  conditions: readonly Condition[],
): Promise<JourneyData> {
  const { bundle } = await nodeQuery<{ bundle: unknown }>(BUNDLE_QUERY, { epc });
  if (bundle === null || bundle === undefined) return { found: false, steps: [], related: [] };
  const verification = await verifyBundle(bundle, {
    expectedSubject: epc,
    // The server only assembles the steps; it never shows anything as verified, so checking
    // signatures here would cost time and a second copy of the verifier for nothing.
    verifier: ACCEPT_FOR_LAYOUT,
  });
  return {
    found: true,
    steps: timelineOf(verification, { subject: epc, conditions }, () => ({ state: 'checking' })),
    related: relatedOf(verification),
  };
}

export interface ProductClassData {
  product: ProductView | null;
  things: ThingSummary[];
  nextCursor: string | null;
  recalls: RecallView[];
}

export const PAGE_SIZE = 20;

export const loadProductClass = cache(
  async (gtin: string, after: string | undefined): Promise<ProductClassData> => {
    const data = await nodeQuery<{
      product: ProductView | null;
      products: { nextCursor: string | null; things: ThingSummary[] };
      recalls: RecallView[];
    }>(PRODUCT_CLASS_QUERY, { gtin, after: after ?? null, first: PAGE_SIZE });
    return {
      product: data.product,
      things: data.products.things,
      nextCursor: data.products.nextCursor,
      recalls: data.recalls,
    };
  },
);
