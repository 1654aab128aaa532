/**
 * Server pages ask the node inside `attempt`, so a node that is down or refuses a query becomes an
 * error state with its code on the page, rather than Next's generic error screen (which hides the
 * message in production).
 */
import { WaybillClientError } from '@waybill/shared/client';

export interface NodeFailure {
  message: string;
  code: string;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: NodeFailure };

export async function attempt<T>(load: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (error instanceof WaybillClientError)
      return { ok: false, error: { message: error.message, code: error.code } };
    throw error;
  }
}
