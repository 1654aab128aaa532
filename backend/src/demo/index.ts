/** The demo data set of a Waybill node: organizations, keys, products and journeys as signed waves. */
export {
  buildDemoSeed,
  demoKeys,
  type DemoKeys,
  type DemoMemberKey,
  type DemoOrgId,
  type DemoOrgKeys,
  type DemoSeed,
  type DemoSeedOptions,
  type DemoSummary,
} from './seed.js';
