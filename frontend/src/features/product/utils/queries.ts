/** The node's GraphQL queries of the product slice (schema.gql), for server and browser alike. */

const THING_FIELDS =
  'epc kind gtin serial lot sscc quantity unit expiry owner custodian status parent children pendingTransfer createdAt';
const PRODUCT_FIELDS = 'gtin name brand description imageUrl conditions owner definedAt';
const RECALL_FIELDS = 'id gtin reason lots serials open issuer issuedAt issuedTime closedAt';

/**
 * A thing with the recalls that reach it through the provenance graph and, when it has a GTIN,
 * its product and the open recalls of that GTIN.
 */
export const THING_QUERY = `query ($epc: String!, $gtin: String!, $withProduct: Boolean!) {
  thing(epc: $epc) {
    ${THING_FIELDS}
    recallReasons { complete reasons { recall { ${RECALL_FIELDS} } path { epc via } } }
  }
  product(gtin: $gtin) @include(if: $withProduct) { ${PRODUCT_FIELDS} }
  recalls(gtin: $gtin, open: true) @include(if: $withProduct) { ${RECALL_FIELDS} }
}`;

/** A product class, one page of its items, lots and logistic units, and its recalls. */
export const PRODUCT_CLASS_QUERY = `query ($gtin: String!, $after: String, $first: Int!) {
  product(gtin: $gtin) { ${PRODUCT_FIELDS} }
  products(gtin: $gtin, first: $first, after: $after) {
    nextCursor
    things { epc kind serial lot sscc quantity unit expiry custodian status }
  }
  recalls(gtin: $gtin) { ${RECALL_FIELDS} }
}`;

/** The provenance bundle, to check with `verifyBundle`. */
export const BUNDLE_QUERY = 'query ($epc: String!) { bundle(epc: $epc) }';

/** Each new final event that touches the thing. */
export const ITEM_EVENTS_SUBSCRIPTION =
  'subscription ($epc: String!) { itemEvents(epc: $epc) { hash type signer height tx } }';

/** Names of product classes by GTIN, one aliased field each. */
export function productNamesQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const vars = indexes.map((i) => `$p${i}: String!`).join(', ');
  const fields = indexes.map((i) => `p${i}: product(gtin: $p${i}) { gtin name }`).join(' ');
  return `query (${vars}) { ${fields} }`;
}

/** Names of organizations by id, one aliased field each: `{ o0: organization(id: $o0) { … } }`. */
export function orgNamesQuery(count: number): string {
  const indexes = Array.from({ length: count }, (_, i) => i);
  const vars = indexes.map((i) => `$o${i}: String!`).join(', ');
  const fields = indexes.map((i) => `o${i}: organization(id: $o${i}) { id name }`).join(' ');
  return `query (${vars}) { ${fields} }`;
}
