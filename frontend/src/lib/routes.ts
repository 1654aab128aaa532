/** Where each thing lives in the explorer; every link is built here. */
import { GS1_RESOLVER } from '@waybill/shared/gs1';

export const routes = {
  dashboard: () => '/',
  blocks: (before?: number) => (before === undefined ? '/blocks' : `/blocks?before=${before}`),
  block: (heightOrHash: number | string) => `/blocks/${String(heightOrHash)}`,
  tx: (hash: string) => `/tx/${hash}`,
  authorities: () => '/authorities',
  org: (id: string) => `/orgs/${encodeURIComponent(id)}`,
  search: (q: string) => `/search?q=${encodeURIComponent(q)}`,
  /** An item, lot or logistic unit's consumer page: its GS1 Digital Link path. */
  thing: (epc: string) => (epc.startsWith(GS1_RESOLVER) ? epc.slice(GS1_RESOLVER.length) : epc),
  /** A product class (all items of a GTIN). */
  product: (gtin: string) => `/01/${gtin}`,
  label: (epc: string) => `/label?epc=${encodeURIComponent(epc)}`,
  /** The thing's provenance bundle as a JSON download, for `waybill verify-bundle`. */
  bundle: (epc: string) => `/bundle?epc=${encodeURIComponent(epc)}`,
  /** The label page without a thing: a form that asks for one. */
  labels: () => '/label',
  staff: () => '/staff',
  /** A staff desk form; `epc` pre-fills the item, lot or pallet to act on. */
  staffAction: (
    action: 'handover' | 'observe' | 'pack' | 'unpack' | 'decommission',
    epc?: string,
  ) => `/staff/${action}${epc === undefined ? '' : `?epc=${encodeURIComponent(epc)}`}`,
};
