/** Messages between the product page and the bundle verification worker. */
import type { BundleVerification } from '@waybill/shared/bundle';
import type { VerifyOptions } from '../utils/verification';

export interface VerifyRequest {
  bundle: unknown;
  options: VerifyOptions;
}

export type VerifyResponse =
  | { type: 'progress'; checked: number }
  | { type: 'done'; result: BundleVerification }
  | { type: 'error'; message: string };
