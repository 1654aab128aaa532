/**
 * Errors of the REST endpoints as RFC 9457 problem details, the form the EPCIS 2.0 REST binding
 * uses (`type` names the EPCIS exception), with Waybill's code beside it.
 */
import { HttpException } from '@nestjs/common';
import { isWaybillError } from '@waybill/shared/errors';

const EXCEPTIONS: Record<number, string> = {
  400: 'epcisException:ValidationException',
  404: 'epcisException:NoSuchResourceException',
  406: 'epcisException:NotAcceptableException',
  413: 'epcisException:CaptureLimitExceededException',
  415: 'epcisException:UnsupportedMediaTypeException',
};

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): HttpException {
  return new HttpException(
    {
      type: EXCEPTIONS[status] ?? 'epcisException:ImplementationException',
      title: detail.split(':')[0],
      status,
      detail,
      code,
      ...extra,
    },
    status,
  );
}

/** A WaybillError (a bad query, an invalid identifier) as a 400 problem; anything else rethrown. */
export function asProblem(error: unknown): never {
  if (isWaybillError(error))
    throw problem(
      400,
      error.code,
      error.message,
      error.path !== undefined ? { path: error.path } : {},
    );
  throw error;
}
