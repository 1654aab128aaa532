/** The node queries the staff desk reads; only signed transactions are ever written. */

export const CHAIN_ID_QUERY = '{ chain { chainId } }';

/** Whose key it is: null for a key no organization registered, BAD_REQUEST for a malformed one. */
export const MEMBER_QUERY =
  'query ($publicKey: String!) { member(publicKey: $publicKey) { publicKey orgId role label active addedAt revokedAt } }';

/** The signer's organization and the locations its events can be recorded at. */
export const STAFF_ORG_QUERY =
  'query ($id: String!) { organization(id: $id) { id name roles gln locations { gln name address { city country } } } }';

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
