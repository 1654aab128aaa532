/** Provenance bundles: build one from a chain, verify one in any browser. */
export { buildBundle, locationsOf, MAX_BUNDLE_THINGS, type BundleSource } from './source.js';
export {
  BUNDLE_KIND,
  BUNDLE_VERSION,
  type BundleBlock,
  type BundleRecord,
  type BundleTx,
  type ProvenanceBundle,
} from './types.js';
export {
  verifyBundle,
  type BundleVerification,
  type JourneyStep,
  type VerifiedRecall,
  type VerifyBundleOptions,
} from './verify.js';
