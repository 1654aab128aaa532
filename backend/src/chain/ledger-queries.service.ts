/**
 * Read-only lookups over the ledger's tables for the registry queries of the API: organizations
 * with their members, holdings and transfer inbox; things by GTIN, lot, custodian and status;
 * recalls; equivocation evidence; search; provenance bundles. It never writes: ChainService is the
 * only writer.
 *
 * Filters on fields inside a record's JSON use `json_extract(value, '$.field')` spelled exactly as
 * the expression indexes of `storage/migrations-2.ts`, so SQLite can use them.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { READER } from '../storage/storage.module.js';
import { buildBundle, type ProvenanceBundle } from '@waybill/shared/bundle';
import {
  isValidGln,
  isValidGtin,
  isValidLot,
  isValidSscc,
  itemEpc,
  lotEpc,
  normalizeGtin,
  parseDigitalLink,
  toEpc,
  type Gs1Identifier,
} from '@waybill/shared/gs1';
import {
  affectedBy,
  evidenceKey,
  MAX_RECALL_WALK,
  recallReasons,
  statusOf,
  type ProvenanceGraph,
  type RecallImpact,
  type RecallReasons,
  type Evidence,
  type Location,
  type Member,
  type Organization,
  type ProductClass,
  type Recall,
  type RecordKind,
  type RecordTypes,
  type Thing,
  type ThingStatus,
  type Transfer,
} from '@waybill/shared/state';
import type { PayloadOf, SignedTxOf } from '@waybill/shared/tx';
import type { DataSource } from 'typeorm';
import { WriteQueue } from '../storage/write-queue.js';
import { SqliteBundleSource } from './bundle-source.js';
import { ChainService } from './chain.service.js';

export const THING_STATUSES: readonly ThingStatus[] = [
  'active',
  'in_transit',
  'recalled',
  'decommissioned',
];

export interface ThingFilter {
  gtin?: string;
  lot?: string;
  custodian?: string;
  /** Effective status, as `statusOf` derives it. */
  status?: ThingStatus;
  /** Leave out decommissioned things (holdings). */
  current?: boolean;
}

export interface ThingWithStatus {
  thing: Thing;
  status: ThingStatus;
}

export interface ThingsPage {
  things: ThingWithStatus[];
  /** The last EPC of this page when there are more: pass it as `after`. */
  nextCursor?: string;
}

export type SearchKind =
  'BLOCK' | 'TRANSACTION' | 'THING' | 'PRODUCT' | 'LOT' | 'LOCATION' | 'ORGANIZATION';

export interface SearchHit {
  kind: SearchKind;
  /** What opens the hit: a height, a hash, an EPC, a GTIN, a lot's EPC, a GLN or an org id. */
  id: string;
  label: string;
  height?: number;
  gtin?: string;
  lot?: string;
}

export interface EvidencePage {
  evidence: Evidence[];
  /** The key of the last record of this page when there are more: pass it as `after`. */
  nextCursor?: string;
}

export const MAX_SEARCH_HITS = 20;

/**
 * The key range of one validator's evidence records (`{validator}:{height}:{round}:{type}`): keys
 * strictly between `{validator}:` and `{validator};` (';' follows ':'), so the primary key serves it.
 */
function validatorKeyRange(validator: string): [string, string] {
  return [`${validator}:`, `${validator};`];
}

/** True when an open recall covers the thing `t` (isCoveredBy in `shared/state`, in SQL). */
const COVERED = `EXISTS (
  SELECT 1 FROM state_records r
  WHERE r.kind = 'recall' AND json_extract(r.value, '$.gtin') = json_extract(t.value, '$.gtin')
    AND json_extract(r.value, '$.open') = 1
    AND ((json_extract(r.value, '$.lots') IS NULL AND json_extract(r.value, '$.serials') IS NULL)
      OR EXISTS (SELECT 1 FROM json_each(r.value, '$.lots') l WHERE l.value = json_extract(t.value, '$.lot'))
      OR EXISTS (SELECT 1 FROM json_each(r.value, '$.serials') s WHERE s.value = json_extract(t.value, '$.serial'))))`;

const OPEN_RECALL_GTINS = `SELECT json_extract(value, '$.gtin') FROM state_records
  WHERE kind = 'recall' AND json_extract(value, '$.open') = 1`;

@Injectable()
export class LedgerQueriesService {
  constructor(
    @InjectDataSource(READER) private readonly db: DataSource,
    private readonly chain: ChainService,
    private readonly writes: WriteQueue,
  ) {}

  async record<K extends RecordKind>(kind: K, key: string): Promise<RecordTypes[K] | undefined> {
    const rows = await this.rows<{ value: string }>(
      'SELECT value FROM state_records WHERE kind = ? AND key = ?',
      [kind, key],
    );
    return rows[0] && (JSON.parse(rows[0].value) as RecordTypes[K]);
  }

  /** The records of a kind with these keys that exist, in the order of `keys`. */
  async records<K extends RecordKind>(kind: K, keys: readonly string[]): Promise<RecordTypes[K][]> {
    const found = new Map<string, RecordTypes[K]>();
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const rows = await this.rows<{ key: string; value: string }>(
        `SELECT key, value FROM state_records WHERE kind = ? AND key IN (${chunk.map(() => '?').join(', ')})`,
        [kind, ...chunk],
      );
      for (const row of rows) found.set(row.key, JSON.parse(row.value) as RecordTypes[K]);
    }
    return keys.flatMap((key) => {
      const record = found.get(key);
      return record === undefined ? [] : [record];
    });
  }

  organization(id: string): Promise<Organization | undefined> {
    return this.record('organization', id);
  }

  /** Organizations in id order, `first` at most, after the id `after` (primary key order). */
  async organizations(
    first: number,
    after?: string,
  ): Promise<{ organizations: Organization[]; nextCursor?: string }> {
    const rows = await this.values<Organization>(
      `SELECT value FROM state_records WHERE kind = 'organization' AND key > ? ORDER BY key LIMIT ?`,
      [after ?? '', first + 1],
    );
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    return { organizations: page, ...(rows.length > first && last && { nextCursor: last.id }) };
  }

  location(gln: string): Promise<Location | undefined> {
    return this.record('location', gln);
  }

  /** The locations an org defined, in GLN order. */
  async locations(orgId: string): Promise<Location[]> {
    return this.values<Location>(
      `SELECT value FROM state_records
       WHERE kind = 'location' AND json_extract(value, '$.orgId') = ?
       ORDER BY key`,
      [orgId],
    );
  }

  /** A key by its public key: which org it signs for, its role, whether it is active. */
  member(publicKey: string): Promise<Member | undefined> {
    return this.record('member', publicKey);
  }

  /** Every key of the org, in the order they were added. */
  async members(orgId: string): Promise<Member[]> {
    return this.values<Member>(
      `SELECT value FROM state_records
       WHERE kind = 'member' AND json_extract(value, '$.orgId') = ?
       ORDER BY json_extract(value, '$.addedAt'), key`,
      [orgId],
    );
  }

  /** Pending transfers to (`in`) or from (`out`) the org, oldest first. */
  async pendingTransfers(orgId: string, direction: 'in' | 'out', limit: number) {
    const field = direction === 'in' ? '$.to' : '$.from';
    return this.values<Transfer>(
      `SELECT value FROM state_records
       WHERE kind = 'transfer' AND json_extract(value, '${field}') = ?
         AND json_extract(value, '$.status') = 'pending'
       ORDER BY json_extract(value, '$.createdAt'), key
       LIMIT ?`,
      [orgId, limit],
    );
  }

  /** Things matching the filter in EPC order, `first` at most, after the EPC `after`. */
  async things(filter: ThingFilter, first: number, after?: string): Promise<ThingsPage> {
    const where = ["t.kind = 'thing'"];
    const parameters: unknown[] = [];
    const equal = (field: string, value: string | undefined) => {
      if (value === undefined) return;
      where.push(`json_extract(t.value, '$.${field}') = ?`);
      parameters.push(value);
    };
    equal('gtin', filter.gtin);
    equal('lot', filter.lot);
    equal('custodian', filter.custodian);
    const stored = "json_extract(t.value, '$.status')";
    switch (filter.status) {
      case undefined:
        break;
      case 'decommissioned':
        where.push(`${stored} = 'decommissioned'`);
        break;
      case 'recalled':
        // The GTIN test first narrows the scan to GTINs under an open recall (index on gtin).
        where.push(`json_extract(t.value, '$.gtin') IN (${OPEN_RECALL_GTINS})`);
        where.push(`${stored} <> 'decommissioned'`, COVERED);
        break;
      case 'active':
      case 'in_transit':
        where.push(`${stored} = ?`, `NOT ${COVERED}`);
        parameters.push(filter.status);
        break;
    }
    if (filter.current) where.push(`${stored} <> 'decommissioned'`);
    if (after !== undefined) {
      where.push('t.key > ?');
      parameters.push(after);
    }
    // Recalled things alone: find them through the GTIN index and sort them (they are few),
    // rather than walking every thing in key order (`+` keeps the key out of index choice).
    const alone =
      filter.status === 'recalled' &&
      filter.gtin === undefined &&
      filter.lot === undefined &&
      filter.custodian === undefined;
    const order = alone ? '+t.key' : 't.key';
    const rows = await this.rows<{ key: string; value: string }>(
      `SELECT t.key, t.value FROM state_records t WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
      [...parameters, first + 1],
    );
    const page = rows.slice(0, first).map((r) => JSON.parse(r.value) as Thing);
    const recalls = await this.openRecalls(page.map((t) => t.gtin));
    const things = page
      .map((thing) => ({ thing, status: statusOf(thing, recalls.get(thing.gtin ?? '') ?? []) }))
      // The SQL above is the same rule; statusOf has the last word.
      .filter((t) => filter.status === undefined || t.status === filter.status);
    const last = page[page.length - 1];
    return { things, ...(rows.length > first && last && { nextCursor: last.epc }) };
  }

  /** The effective status of one thing. */
  async statusOf(thing: Thing): Promise<ThingStatus> {
    const recalls = await this.openRecalls([thing.gtin]);
    return statusOf(thing, recalls.get(thing.gtin ?? '') ?? []);
  }

  /** Open recalls of the given GTINs, by GTIN. */
  async openRecalls(gtins: readonly (string | undefined)[]): Promise<Map<string, Recall[]>> {
    const unique = [...new Set(gtins.filter((g): g is string => g !== undefined))];
    const byGtin = new Map<string, Recall[]>();
    if (unique.length === 0) return byGtin;
    const recalls = await this.values<Recall>(
      `SELECT value FROM state_records
       WHERE kind = 'recall' AND json_extract(value, '$.gtin') IN (${unique.map(() => '?').join(', ')})
         AND json_extract(value, '$.open') = 1`,
      unique,
    );
    for (const recall of recalls)
      byGtin.set(recall.gtin, [...(byGtin.get(recall.gtin) ?? []), recall]);
    return byGtin;
  }

  /** Recalls, newest first. */
  async recalls(filter: { gtin?: string; open?: boolean }, limit: number): Promise<Recall[]> {
    const where = ["kind = 'recall'"];
    const parameters: unknown[] = [];
    if (filter.gtin !== undefined) {
      where.push("json_extract(value, '$.gtin') = ?");
      parameters.push(filter.gtin);
    }
    if (filter.open !== undefined) {
      where.push("json_extract(value, '$.open') = ?");
      parameters.push(filter.open ? 1 : 0);
    }
    return this.values<Recall>(
      `SELECT value FROM state_records WHERE ${where.join(' AND ')}
       ORDER BY json_extract(value, '$.issuedAt') DESC, key LIMIT ?`,
      [...parameters, limit],
    );
  }

  /**
   * Equivocation evidence, newest first (by the height that recorded it, then by key), optionally
   * of one validator; `after` is the key of the last record of the previous page.
   */
  async evidence(
    filter: { validator?: string },
    first: number,
    after?: Evidence,
  ): Promise<EvidencePage> {
    const where = ["kind = 'evidence'"];
    const parameters: unknown[] = [];
    if (filter.validator !== undefined) {
      where.push('key > ? AND key < ?');
      parameters.push(...validatorKeyRange(filter.validator));
    }
    const recordedAt = "json_extract(value, '$.recordedAt')";
    if (after !== undefined) {
      where.push(`(${recordedAt} < ? OR (${recordedAt} = ? AND key > ?))`);
      parameters.push(after.recordedAt, after.recordedAt, evidenceKey(after));
    }
    const rows = await this.rows<{ key: string; value: string }>(
      `SELECT key, value FROM state_records WHERE ${where.join(' AND ')}
       ORDER BY ${recordedAt} DESC, key LIMIT ?`,
      [...parameters, first + 1],
    );
    const page = rows.slice(0, first);
    const last = page[page.length - 1];
    return {
      evidence: page.map((r) => JSON.parse(r.value) as Evidence),
      ...(rows.length > first && last && { nextCursor: last.key }),
    };
  }

  /** How many equivocations are recorded against a validator. */
  async evidenceCount(validator: string): Promise<number> {
    const rows = await this.rows<{ count: number }>(
      "SELECT COUNT(*) AS count FROM state_records WHERE kind = 'evidence' AND key > ? AND key < ?",
      validatorKeyRange(validator),
    );
    return rows[0]?.count ?? 0;
  }

  /**
   * Everything an open recall concerns through the provenance graph (made from it, packed with
   * it), breadth first; undefined when there is no such recall.
   */
  async recallImpact(id: string, maxThings = MAX_RECALL_WALK): Promise<RecallImpact | undefined> {
    const recall = await this.record('recall', id);
    return recall && affectedBy(this.provenanceGraph(), recall, maxThings);
  }

  /** The open recalls that concern a thing, each with the path from the recalled thing to it. */
  recallReasons(epc: string, maxThings = MAX_RECALL_WALK): Promise<RecallReasons> {
    return recallReasons(this.provenanceGraph(), epc, maxThings);
  }

  /** The recall walk's lookups (shared/state/recall-graph.ts) over the ledger's tables. */
  private provenanceGraph(): ProvenanceGraph {
    return {
      thing: (epc) => this.record('thing', epc),
      madeFrom: async (epc) => {
        // The transformations that touched `epc` (its event index), and what they made of it.
        const bodies = await this.rows<{ body: string }>(
          `SELECT t.body FROM thing_events e JOIN transactions t ON t.hash = e.txHash
           WHERE e.epc = ? AND t.type = 'transform' ORDER BY e.seq`,
          [epc],
        );
        const made: string[] = [];
        for (const { body } of bodies) {
          const { payload } = JSON.parse(body) as SignedTxOf<'transform'>;
          if (!payload.inputs.some((input) => input.epc === epc)) continue;
          for (const output of payload.outputs) made.push(...outputEpcs(output));
        }
        return made;
      },
      covered: async (recall, limit) => {
        const where = ["kind = 'thing'", "json_extract(value, '$.gtin') = ?"];
        const parameters: unknown[] = [recall.gtin];
        const which: string[] = [];
        for (const [field, values] of [
          ['lot', recall.lots],
          ['serial', recall.serials],
        ] as const) {
          if (!values) continue;
          which.push(`json_extract(value, '$.${field}') IN (${values.map(() => '?').join(', ')})`);
          parameters.push(...values);
        }
        if (which.length > 0) where.push(`(${which.join(' OR ')})`);
        const rows = await this.rows<{ key: string }>(
          `SELECT key FROM state_records WHERE ${where.join(' AND ')} ORDER BY key LIMIT ?`,
          [...parameters, limit],
        );
        return rows.map((r) => r.key);
      },
      openRecalls: async (gtin) => (await this.openRecalls([gtin])).get(gtin) ?? [],
    };
  }

  product(gtin: string): Promise<ProductClass | undefined> {
    return this.record('product', gtin);
  }

  /** The provenance bundle of a thing as of the committed head; undefined when it does not exist. */
  bundle(epc: string): Promise<ProvenanceBundle | undefined> {
    const source = new SqliteBundleSource({
      db: this.db,
      genesis: this.chain.genesis,
      committedHeight: () => this.chain.height,
      settled: () => this.writes.run(() => Promise.resolve()),
    });
    return buildBundle(source, epc);
  }

  /**
   * Typed hits for what a person types in the explorer's search box: a block height, a block or
   * transaction hash, an EPC or any GS1 Digital Link of a thing, a GTIN, an SSCC, a GLN, a lot
   * number, an organization id or part of its name. At most {@link MAX_SEARCH_HITS}.
   */
  async search(input: string): Promise<SearchHit[]> {
    const q = input.trim();
    const hits: SearchHit[] = [];
    const add = (hit: SearchHit | undefined) => {
      if (!hit || hits.length >= MAX_SEARCH_HITS) return;
      if (hits.some((h) => h.kind === hit.kind && h.id === hit.id)) return;
      hits.push(hit);
    };
    if (q === '') return hits;

    if (/^\d{1,15}$/.test(q)) add(await this.blockHit(Number(q)));
    if (/^[0-9a-fA-F]{64}$/.test(q)) {
      const hash = q.toLowerCase();
      const blocks = await this.rows<{ height: number }>(
        'SELECT height FROM blocks WHERE hash = ?',
        [hash],
      );
      if (blocks[0]) add(await this.blockHit(blocks[0].height));
      const txs = await this.rows<{ height: number; type: string }>(
        'SELECT height, type FROM transactions WHERE hash = ?',
        [hash],
      );
      if (txs[0])
        add({
          kind: 'TRANSACTION',
          id: hash,
          label: `${txs[0].type} in block ${txs[0].height}`,
          height: txs[0].height,
        });
    }
    for (const id of identifiersIn(q)) {
      switch (id.kind) {
        case 'item':
        case 'lot':
        case 'unit':
          add(await this.thingHit(toEpc(id)));
          break;
        case 'product':
          add(await this.productHit(id.gtin));
          break;
        case 'location':
          add(await this.locationHit(id.gln));
          for (const org of await this.values<Organization>(
            `SELECT value FROM state_records WHERE kind = 'organization' AND json_extract(value, '$.gln') = ? ORDER BY key`,
            [id.gln],
          ))
            add(orgHit(org));
          break;
      }
    }
    if (isValidLot(q)) {
      const lots = await this.rows<{ gtin: string }>(
        `SELECT DISTINCT json_extract(value, '$.gtin') AS gtin FROM state_records
         WHERE kind = 'thing' AND json_extract(value, '$.lot') = ? LIMIT ?`,
        [q, MAX_SEARCH_HITS],
      );
      for (const { gtin } of lots) {
        const product = await this.product(gtin);
        add({
          kind: 'LOT',
          id: lotEpc(gtin, q),
          label: `${product?.name ?? gtin} · lot ${q}`,
          gtin,
          lot: q,
        });
      }
    }
    if (q.length >= 2) {
      const orgs = await this.values<Organization>(
        `SELECT value FROM state_records
         WHERE kind = 'organization' AND (key = ? OR instr(lower(json_extract(value, '$.name')), lower(?)) > 0)
         ORDER BY key <> ?, key LIMIT ?`,
        [q, q, q, MAX_SEARCH_HITS],
      );
      for (const org of orgs) add(orgHit(org));
    }
    return hits;
  }

  private async blockHit(height: number): Promise<SearchHit | undefined> {
    const rows = await this.rows<{ hash: string; timestamp: string }>(
      'SELECT hash, timestamp FROM blocks WHERE height = ?',
      [height],
    );
    return (
      rows[0] && {
        kind: 'BLOCK',
        id: String(height),
        label: `Block ${height} · ${rows[0].timestamp}`,
        height,
      }
    );
  }

  private async thingHit(epc: string): Promise<SearchHit | undefined> {
    const thing = await this.record('thing', epc);
    if (!thing) return undefined;
    const name = thing.gtin !== undefined ? (await this.product(thing.gtin))?.name : undefined;
    const what =
      thing.serial !== undefined
        ? `serial ${thing.serial}`
        : thing.sscc !== undefined
          ? `SSCC ${thing.sscc}`
          : `lot ${thing.lot ?? ''}`;
    return {
      kind: 'THING',
      id: epc,
      label: `${name ?? thing.gtin ?? 'Logistic unit'} · ${what}`,
      ...(thing.gtin !== undefined && { gtin: thing.gtin }),
      ...(thing.lot !== undefined && { lot: thing.lot }),
    };
  }

  private async productHit(gtin: string): Promise<SearchHit | undefined> {
    const product = await this.product(gtin);
    return product && { kind: 'PRODUCT', id: gtin, label: product.name, gtin };
  }

  private async locationHit(gln: string): Promise<SearchHit | undefined> {
    const location: Location | undefined = await this.record('location', gln);
    return location && { kind: 'LOCATION', id: gln, label: location.name };
  }

  private async values<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return (await this.rows<{ value: string }>(sql, parameters)).map(
      (r) => JSON.parse(r.value) as T,
    );
  }

  private async rows<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.db.query<T[]>(sql, parameters);
  }
}

/** The EPCs a transformation's output created (as `createThings` names them). */
function outputEpcs(output: PayloadOf<'transform'>['outputs'][number]): string[] {
  if (output.serials) return output.serials.map((serial) => itemEpc(output.gtin, serial));
  return output.lot !== undefined ? [lotEpc(output.gtin, output.lot)] : [];
}

function orgHit(org: Organization): SearchHit {
  return { kind: 'ORGANIZATION', id: org.id, label: org.name };
}

/** The GS1 identifiers a search text can name: a Digital Link (any spelling) or bare digits. */
function identifiersIn(q: string): Gs1Identifier[] {
  if (q.includes('/')) {
    try {
      return [parseDigitalLink(q).id];
    } catch {
      return [];
    }
  }
  if (!/^\d+$/.test(q)) return [];
  const out: Gs1Identifier[] = [];
  if (isValidGtin(q)) out.push({ kind: 'product', gtin: normalizeGtin(q) });
  if (q.length === 18 && isValidSscc(q)) out.push({ kind: 'unit', sscc: q });
  if (q.length === 13 && isValidGln(q)) out.push({ kind: 'location', gln: q });
  return out;
}
