/** The node queries the staff desk reads; only signed transactions are ever written. */

export const CHAIN_ID_QUERY = '{ chain { chainId } }';

export const ORG_MEMBERS_QUERY =
  'query ($id: String!) { organization(id: $id) { id name roles gln members { publicKey role active label revokedAt } } }';

export const ORG_EXISTS_QUERY =
  'query ($id: String!) { organization(id: $id) { id name roles gln } }';

/** The receiver picker's list; falls back to a text field while a node lacks the query. */
export const ORGANIZATIONS_QUERY =
  'query ($first: Int!, $after: String) { organizations(first: $first, after: $after) { organizations { id name roles gln } nextCursor } }';

const TRANSFER_FIELDS = 'id from to epcs status createdAt';

export const INBOX_QUERY = `query ($id: String!) { organization(id: $id) { id incomingTransfers { ${TRANSFER_FIELDS} } outgoingTransfers { ${TRANSFER_FIELDS} } } }`;

export const THING_FIELDS = 'epc kind custodian owner status parent pendingTransfer children';

export const TX_STATUS_SUBSCRIPTION =
  'subscription ($hash: String!) { transactionStatus(hash: $hash) { hash status code message path height blockHash } }';

export const BLOCK_FINALIZED_SUBSCRIPTION = 'subscription { blockFinalized { height txCount } }';
