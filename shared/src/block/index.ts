/**
 * Blocks and consensus artefacts: headers and their hash, votes, validator-set arithmetic, commit
 * certificates, header checks and genesis. Transactions stay opaque: a block sees only their hashes.
 */
export type {
  Block,
  BlockHeader,
  CommitCertificate,
  CommitSignature,
  Proposal,
  ProposedBlock,
  Refusal,
  SignedProposal,
  SignedVote,
  Vote,
  VoteType,
} from './types.js';
export { HEADER_FIELDS } from './types.js';
export { isTimestamp } from './fields.js';
export { blockHash, ZERO_HASH } from './hash.js';
export { isVote, signVote, verifyVote, voteHash } from './vote.js';
export { isProposal, proposalHash, signProposal, verifyProposal } from './proposal.js';
export {
  maxFaulty,
  proposerFor,
  quorum,
  sortValidators,
  validatorsHash,
  type ProposerForOptions,
} from './validators.js';
export {
  assertValidCommitCertificate,
  createCommitCertificate,
  verifyCommitCertificate,
  type CertificateCheck,
  type CertificateTarget,
  type CreateCommitCertificateOptions,
  type VerifyCommitCertificateOptions,
} from './certificate.js';
export {
  headerShapeProblem,
  isBlockHeader,
  validateHeaderShape,
  type ShapeProblem,
} from './header.js';
export {
  checkBlockLinks,
  refusalHash,
  txRootItems,
  txRootOf,
  type RefusalItem,
  type BlockLinkCheck,
  type BlockProblem,
  type BlockProblemField,
  type CheckBlockLinksOptions,
} from './links.js';
export {
  createGenesisHeader,
  genesisHash,
  genesisStateRoot,
  genesisValidators,
  validateGenesis,
  type GenesisAuthority,
  type GenesisConfig,
  type GenesisParams,
} from './genesis.js';
