/**
 * The explorer's half of the GS1 Digital Link resolver (shared/gs1 `chooseAnswer`): a Digital Link
 * page (`/01/…`, `/00/…`) asked for by a browser is the product page; asked for with another link
 * type (`gs1:epcis`, `gs1:traceability`, `gs1:recallStatus`, `all`) or another media type
 * (`application/ld+json`, `application/linkset+json`), it is answered by the node's resolver, at
 * the same path, where the request is sent on.
 */
import { isWaybillError } from '@waybill/shared/errors';
import { chooseAnswer } from '@waybill/shared/gs1';

export type ResolverDecision =
  | { kind: 'page' }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; code: string; message: string };

/** The node's base address from its public GraphQL endpoint (`…/graphql`). */
export function nodeBase(publicNodeUrl: string): string {
  return publicNodeUrl.replace(/\/graphql\/?$/, '').replace(/\/+$/, '');
}

export function resolverDecision(
  pathname: string,
  search: string,
  accept: string | null,
  publicNodeUrl: string,
): ResolverDecision {
  if (!/^\/(01|00)\//.test(pathname)) return { kind: 'page' };
  const linkType = new URLSearchParams(search).get('linkType') ?? undefined;
  try {
    if (chooseAnswer(linkType, accept ?? undefined) === 'pip') return { kind: 'page' };
  } catch (error) {
    if (isWaybillError(error)) return { kind: 'error', code: error.code, message: error.message };
    throw error;
  }
  return { kind: 'redirect', location: `${nodeBase(publicNodeUrl)}${pathname}${search}` };
}
