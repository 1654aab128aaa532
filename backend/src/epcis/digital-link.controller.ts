/**
 * The GS1 Digital Link resolver: `GET /01/{gtin}[/10/{lot}][/21/{serial}]` and `GET /00/{sscc}`
 * on the node answer by link type and content negotiation (`chooseAnswer` in shared/gs1): a
 * browser goes to the product page in the explorer, `gs1:traceability` and `gs1:epcis` get the
 * EPCIS history, `gs1:recallStatus` the recall status, `all` the link set. The URI is validated
 * first (check digits, key order; GTIN-8, -12 and -13 are read as GTIN-14).
 */
import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import {
  buildDigitalLink,
  chooseAnswer,
  linkSet,
  parseDigitalLink,
  productEpc,
  toEpc,
  type Gs1Identifier,
} from '@waybill/shared/gs1';
import { ChainService } from '../chain/chain.service.js';
import { LedgerQueriesService } from '../chain/ledger-queries.service.js';
import { NODE_CONFIG } from '../config/config.module.js';
import type { NodeConfig } from '../config/node-config.js';
import { epcisHeaders, type HttpRequest, type HttpResponse } from './epcis.controller.js';
import { EpcisEventsService } from './epcis-events.service.js';
import { asProblem, problem } from './problem.js';

interface ResolverRequest extends HttpRequest {
  path: string;
}
/** Sent by hand: the status depends on the answer (a redirect, a document, a link set). */
interface ResolverResponse extends HttpResponse {
  redirect(status: number, url: string): void;
  json(body: unknown): void;
}

/** The recall status of a thing or a product, as `linkType=gs1:recallStatus` answers it. */
export interface RecallStatus {
  id: string;
  recalled: boolean;
  /** A thing's effective status; absent for a product. */
  status?: string;
  recalls: {
    id: string;
    gtin: string;
    reason: string;
    issuer: string;
    issuedAt: number;
    lots?: string[];
    serials?: string[];
    /** For a thing: from the recalled thing to it (one step when the recall names it). */
    path?: { epc: string; via: string }[];
  }[];
}

@Controller()
export class DigitalLinkController {
  constructor(
    @Inject(NODE_CONFIG) private readonly config: NodeConfig,
    private readonly chain: ChainService,
    private readonly ledger: LedgerQueriesService,
    private readonly epcis: EpcisEventsService,
  ) {}

  @Get('01/*path')
  async product(
    @Req() req: ResolverRequest,
    @Res() res: ResolverResponse,
    @Query('linkType') linkType: unknown,
    @Headers('accept') accept: string | undefined,
  ): Promise<void> {
    await this.send(req, res, linkType, accept);
  }

  @Get('00/*path')
  async unit(
    @Req() req: ResolverRequest,
    @Res() res: ResolverResponse,
    @Query('linkType') linkType: unknown,
    @Headers('accept') accept: string | undefined,
  ): Promise<void> {
    await this.send(req, res, linkType, accept);
  }

  private async send(
    req: ResolverRequest,
    res: ResolverResponse,
    linkType: unknown,
    accept: string | undefined,
  ): Promise<void> {
    const body = await this.resolve(req, res, linkType, accept);
    if (body === undefined) return;
    res.status(200);
    res.json(body);
  }

  /** The answer's body, its headers set on `res`; undefined when it redirected. */
  private async resolve(
    req: ResolverRequest,
    res: ResolverResponse,
    linkType: unknown,
    accept: string | undefined,
  ): Promise<unknown> {
    if (linkType !== undefined && typeof linkType !== 'string')
      throw problem(400, 'INVALID_QUERY', 'linkType may be given once');
    let id: Gs1Identifier;
    let answer;
    try {
      id = parseDigitalLink(req.path).id;
      answer = chooseAnswer(linkType, accept);
    } catch (error) {
      return asProblem(error);
    }
    const anchor = buildDigitalLink(id);
    const path = anchor.replace('https://id.gs1.org', '');
    const thing = id.kind === 'product' ? undefined : toEpc(id);
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.setHeader('Vary', 'Accept');

    if (answer === 'pip' && this.config.explorerUrl !== undefined) {
      res.redirect(307, `${this.config.explorerUrl}${path}`);
      return undefined;
    }
    if (answer === 'pip' || answer === 'linkset') {
      res.setHeader('Content-Type', 'application/linkset+json; charset=utf-8');
      return linkSet({
        anchor,
        ...(this.config.explorerUrl !== undefined && { page: `${this.config.explorerUrl}${path}` }),
        resolver: `${base}${path}`,
        title: await this.title(id),
      });
    }
    if (thing !== undefined && !(await this.chain.state.get('thing', thing)))
      throw problem(404, 'NOT_FOUND', `${anchor} is not on this chain`);
    if (thing === undefined && !(await this.ledger.product('gtin' in id ? id.gtin : '')))
      throw problem(404, 'NOT_FOUND', `no product ${anchor} is defined on this chain`);

    if (answer === 'recallStatus') return this.recallStatus(id, anchor, thing);

    // gs1:epcis, gs1:traceability: the first page of the history, the rest through the EPCIS
    // query interface (`Link: rel=next`), which takes the same page token.
    const perPage = 1000;
    const page =
      thing !== undefined
        ? await this.epcis.events({ perPage }, thing)
        : await this.epcis.events({
            perPage,
            anyEpcs: [productEpc((id as { gtin: string }).gtin)],
          });
    epcisHeaders(res);
    if (page.nextPageToken !== undefined) {
      const rest =
        thing !== undefined
          ? `/epcis/epcs/${encodeURIComponent(thing)}/events?perPage=${perPage}`
          : `/epcis/events?MATCH_anyEPC=${encodeURIComponent(anchor)}&perPage=${perPage}`;
      res.setHeader(
        'Link',
        `<${base}${rest}&nextPageToken=${encodeURIComponent(page.nextPageToken)}>; rel="next"`,
      );
    }
    return page.document;
  }

  private async title(id: Gs1Identifier): Promise<string> {
    const name = 'gtin' in id ? (await this.ledger.product(id.gtin))?.name : undefined;
    switch (id.kind) {
      case 'item':
        return `${name ?? `GTIN ${id.gtin}`}, serial ${id.serial}`;
      case 'lot':
        return `${name ?? `GTIN ${id.gtin}`}, lot ${id.lot}`;
      case 'unit':
        return `Logistic unit SSCC ${id.sscc}`;
      case 'product':
        return name ?? `GTIN ${id.gtin}`;
      case 'location':
        return `Location GLN ${id.gln}`;
    }
  }

  private async recallStatus(
    id: Gs1Identifier,
    anchor: string,
    thing: string | undefined,
  ): Promise<RecallStatus> {
    if (thing !== undefined) {
      const record = await this.chain.state.get('thing', thing);
      const status = record ? await this.ledger.statusOf(record) : 'unknown';
      const { reasons } = await this.ledger.recallReasons(thing);
      return {
        id: anchor,
        recalled: status === 'recalled' || reasons.length > 0,
        status,
        recalls: reasons.map(({ recall, path }) => ({
          id: recall.id,
          gtin: recall.gtin,
          reason: recall.reason,
          issuer: recall.issuer,
          issuedAt: recall.issuedAt,
          path,
        })),
      };
    }
    const gtin = 'gtin' in id ? id.gtin : '';
    const open = (await this.ledger.openRecalls([gtin])).get(gtin) ?? [];
    return {
      id: anchor,
      recalled: open.length > 0,
      recalls: open.map((r) => ({
        id: r.id,
        gtin: r.gtin,
        reason: r.reason,
        issuer: r.issuer,
        issuedAt: r.issuedAt,
        ...(r.lots && { lots: r.lots }),
        ...(r.serials && { serials: r.serials }),
      })),
    };
  }
}
