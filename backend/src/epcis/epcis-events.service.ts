/**
 * The chain's events as EPCIS 2.0 (shared/epcis: `waybillToEpcis`, `matchesEventQuery`): the
 * REST binding's `GET /events` with filters and pages, one EPC's events, one captured event by its
 * event hash. Every event transaction is an EPCIS event: those captured as EPCIS come back as
 * captured, the others are written by export's mapping.
 *
 * Reads only, bounded by the committed head (the sqlite driver shares one connection with the
 * block writer, so a read could otherwise see part of a block being written).
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  EPCIS_CONTEXT,
  exactQueryEpcs,
  matchesEventQuery,
  waybillToEpcis,
  type EventQuery,
  type ExportDirectory,
  type HistoryStep,
} from '@waybill/shared/epcis';
import { WaybillError } from '@waybill/shared/errors';
import { EVENT_TYPES, type Organization, type Transfer } from '@waybill/shared/state';
import type { JsonData, JsonObject, PayloadOf, SignedTx } from '@waybill/shared/tx';
import type { DataSource } from 'typeorm';
import { ChainService } from '../chain/chain.service.js';
import { LedgerQueriesService } from '../chain/ledger-queries.service.js';
import { READER } from '../storage/storage.module.js';

/** An EPCIS 2.0 query document, as the REST binding answers `GET /events`. */
export interface EpcisQueryDocument {
  '@context': JsonData[];
  type: 'EPCISQueryDocument';
  schemaVersion: '2.0';
  creationDate: string;
  epcisBody: {
    queryResults: { queryName: 'SimpleEventQuery'; resultsBody: { eventList: JsonObject[] } };
  };
}

export interface EventsPage {
  document: EpcisQueryDocument;
  /** Pass as `nextPageToken` for the next page; absent on the last. */
  nextPageToken?: string;
}

/** Transactions read per database round trip while filling a page. */
const CHUNK = 500;
/** Transactions one request examines at most: a rare filter answers a short page, not a stall. */
const MAX_SCANNED = 20_000;

const EVENT_TYPE_LIST = [...EVENT_TYPES];

interface Row {
  hash: string;
  height: number;
  position: number;
  body: string;
  timestamp: string;
}

interface Cursor {
  height: number;
  position: number;
}

/** The page token: where the last page stopped, and which query it belongs to. */
function encodeToken(cursor: Cursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify([cursor.height, cursor.position, fingerprint])).toString(
    'base64url',
  );
}

function decodeToken(token: string, fingerprint: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !Number.isSafeInteger(parsed[0]) ||
    !Number.isSafeInteger(parsed[1])
  ) {
    throw new WaybillError('INVALID_QUERY', 'nextPageToken: is not a token this node gave out', {
      path: 'nextPageToken',
    });
  }
  if (parsed[2] !== fingerprint) {
    throw new WaybillError(
      'INVALID_QUERY',
      'nextPageToken: belongs to another query; repeat the same filters with it',
      { path: 'nextPageToken' },
    );
  }
  return { height: parsed[0] as number, position: parsed[1] as number };
}

/** A digest of the filters (not the page size or token), so a token is used with its own query. */
function fingerprintOf(query: EventQuery, scope: string): string {
  const { perPage: _perPage, nextPageToken: _token, ...filters } = query;
  return createHash('sha256')
    .update(JSON.stringify([scope, filters]))
    .digest('base64url')
    .slice(0, 16);
}

@Injectable()
export class EpcisEventsService {
  constructor(
    @InjectDataSource(READER) private readonly db: DataSource,
    private readonly chain: ChainService,
    private readonly ledger: LedgerQueriesService,
  ) {}

  /**
   * One page of the events that match `query`, in chain order. `scope` limits it further to the
   * events of one EPC (`GET /epcs/{epc}/events`), and keys the page tokens.
   */
  async events(query: EventQuery, scope?: string): Promise<EventsPage> {
    const fingerprint = fingerprintOf(query, scope ?? '');
    let cursor: Cursor =
      query.nextPageToken !== undefined
        ? decodeToken(query.nextPageToken, fingerprint)
        : { height: -1, position: -1 };
    const exact = scope !== undefined ? [scope] : exactQueryEpcs(query);
    const head = this.chain.height;
    const matched: { event: JsonObject; context: JsonData[] }[] = [];
    let scanned = 0;
    let exhausted = false;
    while (matched.length < query.perPage && scanned < MAX_SCANNED) {
      const rows = await this.rowsAfter(cursor, head, exact);
      if (rows.length === 0) {
        exhausted = true;
        break;
      }
      const converted = await this.convert(rows);
      let stoppedEarly = false;
      for (const [i, row] of rows.entries()) {
        cursor = { height: row.height, position: row.position };
        scanned++;
        const entry = converted[i];
        if (entry && matchesEventQuery(entry.event, query)) matched.push(entry);
        if (matched.length >= query.perPage) {
          stoppedEarly = i < rows.length - 1;
          break;
        }
      }
      if (rows.length < CHUNK && !stoppedEarly) {
        exhausted = true;
        break;
      }
    }
    return {
      document: queryDocument(matched),
      ...(!exhausted && { nextPageToken: encodeToken(cursor, fingerprint) }),
    };
  }

  /** The event a captured EPCIS event became, by its GS1 event hash; undefined if none. */
  async capturedEvent(eventHash: string): Promise<EpcisQueryDocument | undefined> {
    const record = await this.ledger.record('epcisEvent', eventHash);
    if (!record || record.height > this.chain.height) return undefined;
    const rows = await this.query<Row>(
      `SELECT t.hash, t.height, t.position, t.body, b.timestamp
       FROM transactions t JOIN blocks b ON b.height = t.height WHERE t.hash = ?`,
      [record.tx],
    );
    const converted = await this.convert(rows);
    return queryDocument(converted.filter((e): e is NonNullable<typeof e> => e !== undefined));
  }

  private async rowsAfter(
    cursor: Cursor,
    head: number,
    epcs: readonly string[] | undefined,
  ): Promise<Row[]> {
    const after = '(t.height > ? OR (t.height = ? AND t.position > ?)) AND t.height <= ?';
    const bounds = [cursor.height, cursor.height, cursor.position, head];
    if (epcs !== undefined) {
      return this.query<Row>(
        `SELECT DISTINCT t.hash, t.height, t.position, t.body, b.timestamp
         FROM thing_events e
         JOIN transactions t ON t.hash = e.txHash
         JOIN blocks b ON b.height = t.height
         WHERE e.epc IN (${epcs.map(() => '?').join(', ')}) AND ${after}
         ORDER BY t.height, t.position LIMIT ?`,
        [...epcs, ...bounds, CHUNK],
      );
    }
    return this.query<Row>(
      `SELECT t.hash, t.height, t.position, t.body, b.timestamp
       FROM transactions t JOIN blocks b ON b.height = t.height
       WHERE ${after} AND t.type IN (${EVENT_TYPE_LIST.map(() => '?').join(', ')})
       ORDER BY t.height, t.position LIMIT ?`,
      [...bounds, ...EVENT_TYPE_LIST, CHUNK],
    );
  }

  /**
   * Each row as one EPCIS event (index-aligned; undefined for a transaction that is not one),
   * with the context entries beyond EPCIS's own that it needs. A correction becomes the corrected
   * event with its `errorDeclaration`, as EPCIS 2.0 declares errors.
   */
  private async convert(
    rows: readonly Row[],
  ): Promise<({ event: JsonObject; context: JsonData[] } | undefined)[]> {
    const steps = rows.map(stepOf);
    const targets = new Map<string, HistoryStep>();
    for (const step of steps) {
      if (step.tx.type !== 'event.correct') continue;
      const target = step.tx.payload.target;
      const found = await this.query<Row>(
        `SELECT t.hash, t.height, t.position, t.body, b.timestamp
         FROM transactions t JOIN blocks b ON b.height = t.height WHERE t.hash = ?`,
        [target],
      );
      if (found[0]) targets.set(target, stepOf(found[0]));
    }
    const directory = await this.directoryFor([...steps, ...targets.values()]);
    const creationDate = new Date().toISOString();
    return steps.map((step) => {
      if (!EVENT_TYPES.has(step.tx.type) && step.tx.type !== 'event.correct') return undefined;
      let list: readonly HistoryStep[] = [step];
      if (step.tx.type === 'event.correct') {
        const target = targets.get(step.tx.payload.target);
        if (!target) return undefined;
        list = [target, step];
      }
      const document = waybillToEpcis(list, directory, { creationDate });
      const events = document.epcisBody.eventList;
      const event = events[list.length - 1];
      if (event === undefined || events.length !== list.length) return undefined;
      return { event, context: document['@context'].slice(1) };
    });
  }

  /** What export asks of the chain about these steps, read ahead so it can answer synchronously. */
  private async directoryFor(steps: readonly HistoryStep[]): Promise<ExportDirectory> {
    const orgOfSigner = new Map<string, string>();
    const transfers = new Map<string, Transfer>();
    const lotUnits = new Map<string, string>();
    const orgIds = new Set<string>();
    for (const { tx } of steps) {
      if (!orgOfSigner.has(tx.signer)) {
        const member = await this.ledger.member(tx.signer);
        if (member) orgOfSigner.set(tx.signer, member.orgId);
      }
      const org = orgOfSigner.get(tx.signer);
      if (org !== undefined) orgIds.add(org);
      switch (tx.type) {
        case 'custody.handover':
        case 'ownership.transfer':
          orgIds.add((tx.payload as PayloadOf<'custody.handover'>).to);
          break;
        case 'custody.accept':
        case 'custody.reject':
        case 'custody.cancel': {
          const id = (tx.payload as PayloadOf<'custody.accept'>).transfer;
          const transfer = await this.ledger.record('transfer', id);
          if (transfer) {
            transfers.set(id, transfer);
            orgIds.add(transfer.from).add(transfer.to);
          }
          break;
        }
        case 'transform':
          for (const input of tx.payload.inputs) {
            const thing = await this.ledger.record('thing', input.epc);
            if (thing?.unit !== undefined) lotUnits.set(input.epc, thing.unit);
          }
          break;
        default:
          break;
      }
    }
    const orgs = new Map<string, Organization>();
    for (const id of orgIds) {
      const org = await this.ledger.organization(id);
      if (org) orgs.set(id, org);
    }
    return {
      glnOfOrg: (id) => orgs.get(id)?.gln,
      orgOfSigner: (key) => orgOfSigner.get(key),
      transfer: (hash) => {
        const t = transfers.get(hash);
        return t && { epcs: t.epcs, from: t.from, to: t.to };
      },
      lotUnit: (epc) => lotUnits.get(epc),
    };
  }

  private async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.db.query<T[]>(sql, parameters);
  }
}

function stepOf(row: Row): HistoryStep {
  return {
    tx: JSON.parse(row.body) as SignedTx,
    hash: row.hash,
    height: row.height,
    timestamp: row.timestamp,
  };
}

/**
 * The query document of these events. Context entries an event needs beyond EPCIS's own are
 * merged into the document's; an event whose prefix means something else than the same prefix of
 * an earlier event keeps its own context.
 */
function queryDocument(
  events: readonly { event: JsonObject; context: JsonData[] }[],
): EpcisQueryDocument {
  const prefixes = new Map<string, string>();
  const eventList = events.map(({ event, context }) => {
    const entries = context.flatMap((c) =>
      typeof c === 'object' && c !== null && !Array.isArray(c) ? Object.entries(c) : [],
    );
    const clash = entries.some(([prefix, iri]) => {
      const known = prefixes.get(prefix);
      return known !== undefined && known !== iri;
    });
    if (clash || entries.some(([, iri]) => typeof iri !== 'string'))
      return { '@context': [EPCIS_CONTEXT, ...context], ...event };
    for (const [prefix, iri] of entries) prefixes.set(prefix, iri as string);
    return event;
  });
  return {
    '@context': [EPCIS_CONTEXT, ...(prefixes.size > 0 ? [Object.fromEntries(prefixes)] : [])],
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: new Date().toISOString(),
    epcisBody: {
      queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } },
    },
  };
}
