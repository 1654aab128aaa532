/**
 * GS1: check digits, serial and lot values, identifiers of tracked things, their canonical EPCs
 * and GS1 Digital Link URIs. Every failure is a WaybillError with code INVALID_GS1.
 */
export { gs1CheckDigit } from './check-digit.js';
export {
  assertGln,
  assertGtin,
  assertSscc,
  isValidGln,
  isValidGtin,
  isValidSscc,
  normalizeGtin,
} from './keys.js';
export {
  assertCpv,
  assertLot,
  assertSerial,
  CSET82_DESCRIPTION,
  isValidCpv,
  isValidLot,
  isValidSerial,
} from './charset.js';
export type { Gs1PathOptions } from './fail.js';
export {
  GS1_KINDS,
  normalizeIdentifier,
  type Gs1Identifier,
  type Gs1Kind,
  type ItemIdentifier,
  type LocationIdentifier,
  type LotIdentifier,
  type ProductIdentifier,
  type UnitIdentifier,
} from './identifier.js';
export {
  buildDigitalLink,
  GS1_RESOLVER,
  parseDigitalLink,
  type BuildDigitalLinkOptions,
  type ParsedDigitalLink,
} from './digital-link.js';
export {
  epcKind,
  isCanonicalEpc,
  itemEpc,
  locationEpc,
  lotEpc,
  parseEpc,
  productEpc,
  toEpc,
  unitEpc,
} from './epc.js';
export { chooseAnswer, linkSet, type LinkSetTargets, type ResolvedAnswer } from './resolver.js';
