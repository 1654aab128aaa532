/**
 * `GET /bundle?epc=…`: a thing's provenance bundle as a file to keep, to check offline with
 * `waybill verify-bundle FILE --genesis-hash …` (or anyone's copy of `verifyBundle`).
 */
import { parseDigitalLink, toEpc } from '@waybill/shared/gs1';
import { isWaybillError } from '@waybill/shared/errors';
import { nodeQuery, WaybillClientError } from '@/lib/node';
import { BUNDLE_QUERY } from '@/features/product/utils/queries';

function problem(status: number, code: string, message: string): Response {
  return Response.json({ code, message }, { status });
}

export async function GET(request: Request): Promise<Response> {
  const input = new URL(request.url).searchParams.get('epc');
  if (!input) return problem(400, 'BAD_REQUEST', 'give the thing as ?epc=<GS1 Digital Link>');
  let epc: string;
  try {
    epc = toEpc(parseDigitalLink(input).id);
  } catch (error) {
    if (isWaybillError(error)) return problem(400, error.code, error.message);
    throw error;
  }
  try {
    const { bundle } = await nodeQuery<{ bundle: unknown }>(BUNDLE_QUERY, { epc });
    if (bundle === null || bundle === undefined)
      return problem(404, 'NOT_FOUND', `${epc} is not on this chain`);
    // A file name that says what it is and stays valid on every file system.
    const name = `waybill-bundle-${epc.replace(/^https:\/\/id\.gs1\.org\//, '').replace(/[^A-Za-z0-9.-]+/g, '_')}.json`;
    return new Response(`${JSON.stringify(bundle, null, 2)}\n`, {
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      },
    });
  } catch (error) {
    if (error instanceof WaybillClientError) return problem(502, error.code, error.message);
    throw error;
  }
}
