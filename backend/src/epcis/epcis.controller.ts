/**
 * The EPCIS 2.0 REST binding, under `/epcis`, for what Waybill holds:
 * - `GET /epcis/events` (SimpleEventQuery filters, `perPage`, `nextPageToken` with a `Link: rel=next`);
 * - `GET /epcis/events/{eventID}`: a captured event by its GS1 event hash;
 * - `GET /epcis/epcs/{epc}/events`: one thing's events (URN or Digital Link, percent-encoded);
 * - `POST /epcis/capture` (a job: 202 with `Location`), `GET /epcis/capture/{captureID}`;
 * - `POST /epcis/events`: one event, answered when it is final (201 with `Location`).
 * Captured events must carry their signed Waybill transaction (shared/epcis/capture.ts).
 */
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  epcisEventHash,
  normalizeEpcisIdentifier,
  parseEventQuery,
  readSignedCapture,
  type EventQuery,
} from '@waybill/shared/epcis';
import { parseDigitalLink, toEpc } from '@waybill/shared/gs1';
import {
  CAPTURE_LIMIT,
  CaptureRefused,
  CaptureService,
  type CaptureErrorBehaviour,
  type CaptureJob,
} from './capture.service.js';
import { EpcisEventsService, type EpcisQueryDocument } from './epcis-events.service.js';
import { asProblem, problem } from './problem.js';

/** What the handlers use of Express's request and response (no @types/express here). */
export interface HttpRequest {
  originalUrl: string;
  protocol: string;
  get(name: string): string | undefined;
}
export interface HttpResponse {
  setHeader(name: string, value: string): unknown;
  status(code: number): unknown;
}
/** A response sent by hand, where the status depends on the outcome. */
interface SentResponse extends HttpResponse {
  json(body: unknown): void;
}

type QueryParams = Record<string, string | string[] | undefined>;

/** How long `POST /events` waits for its event to be final before answering 202. */
const SYNC_CAPTURE_WAIT_MS = 30_000;

export function epcisHeaders(res: HttpResponse): void {
  res.setHeader('GS1-EPCIS-Version', '2.0.0');
  res.setHeader('GS1-CBV-Version', '2.0.0');
  res.setHeader('Content-Type', 'application/ld+json; charset=utf-8');
}

/** The request's own URL with another `nextPageToken`: the `Link: rel="next"` of a page. */
export function nextLink(req: HttpRequest, token: string): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  url.searchParams.set('nextPageToken', token);
  return `<${url.href}>; rel="next"`;
}

/** The canonical EPC of an identifier written as an EPC URN or a Digital Link on any host. */
export function thingEpc(value: string): string {
  try {
    return toEpc(parseDigitalLink(normalizeEpcisIdentifier(value)).id);
  } catch (error) {
    return asProblem(error);
  }
}

function read(params: QueryParams): EventQuery {
  try {
    return parseEventQuery(params);
  } catch (error) {
    return asProblem(error);
  }
}

@Controller('epcis')
export class EpcisController {
  constructor(
    private readonly epcis: EpcisEventsService,
    private readonly capture: CaptureService,
  ) {}

  @Get('events')
  async events(
    @Query() params: QueryParams,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<EpcisQueryDocument> {
    return this.page(read(params), undefined, req, res);
  }

  @Get('events/:eventID')
  async event(
    @Param('eventID') eventID: string,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<EpcisQueryDocument> {
    const document = await this.epcis.capturedEvent(eventID);
    if (!document)
      throw problem(404, 'NOT_FOUND', `no captured event has the event hash ${eventID}`);
    epcisHeaders(res);
    return document;
  }

  @Get('epcs/:epc/events')
  async epcEvents(
    @Param('epc') epc: string,
    @Query() params: QueryParams,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: HttpResponse,
  ): Promise<EpcisQueryDocument> {
    return this.page(read(params), thingEpc(epc), req, res);
  }

  @Post('capture')
  @HttpCode(202)
  captureDocument(
    @Body() body: unknown,
    @Headers('gs1-capture-error-behaviour') behaviour: string | undefined,
    @Res({ passthrough: true }) res: HttpResponse,
  ): CaptureJob {
    const { job } = this.start(body, errorBehaviour(behaviour));
    res.setHeader('Location', `/epcis/capture/${job.captureID}`);
    res.setHeader('GS1-EPCIS-Capture-Limit', String(CAPTURE_LIMIT));
    return job;
  }

  @Get('capture/:captureID')
  captureStatus(@Param('captureID') captureID: string): CaptureJob {
    const job = this.capture.job(captureID);
    if (!job)
      throw problem(
        404,
        'NOT_FOUND',
        `no capture job ${captureID} on this node (jobs are kept in memory until it restarts)`,
      );
    return job;
  }

  @Post('events')
  async captureEvent(@Body() body: unknown, @Res() res: SentResponse): Promise<void> {
    const { events } = readSignedCapture(body);
    if (events.length !== 1 || (body as { type?: unknown }).type === 'EPCISDocument')
      throw problem(
        400,
        'INVALID_EVENT',
        'POST /events takes one event; post documents to /capture',
      );
    const { job, done } = this.start(body, 'rollback');
    const finished = await Promise.race([
      done,
      new Promise<undefined>((resolve) =>
        setTimeout(() => resolve(undefined), SYNC_CAPTURE_WAIT_MS).unref(),
      ),
    ]);
    if (!finished) {
      res.setHeader('Location', `/epcis/capture/${job.captureID}`);
      res.status(202);
      res.json(job);
      return;
    }
    const [error] = finished.errors;
    if (error) throw problem(400, error.code, error.message, { errors: finished.errors });
    const captured = events[0];
    if (captured) {
      const hash = epcisEventHash(captured.event);
      res.setHeader('Location', `/epcis/events/${encodeURIComponent(hash)}`);
    }
    res.status(201);
    res.json(finished);
  }

  private start(body: unknown, behaviour: CaptureErrorBehaviour) {
    try {
      return this.capture.start(body, behaviour);
    } catch (error) {
      if (error instanceof CaptureRefused) throw problem(error.status, error.code, error.message);
      throw error;
    }
  }

  private async page(
    query: EventQuery,
    scope: string | undefined,
    req: HttpRequest,
    res: HttpResponse,
  ): Promise<EpcisQueryDocument> {
    let page;
    try {
      page = await this.epcis.events(query, scope);
    } catch (error) {
      return asProblem(error);
    }
    epcisHeaders(res);
    if (page.nextPageToken !== undefined) res.setHeader('Link', nextLink(req, page.nextPageToken));
    return page.document;
  }
}

function errorBehaviour(value: string | undefined): CaptureErrorBehaviour {
  if (value === undefined || value === '' || value.toLowerCase() === 'proceed') return 'proceed';
  if (value.toLowerCase() === 'rollback') return 'rollback';
  throw problem(
    400,
    'BAD_REQUEST',
    `GS1-Capture-Error-Behaviour: expected proceed or rollback, got ${value}`,
  );
}
