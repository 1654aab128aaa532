/**
 * EPCIS capture (the REST binding's `POST /capture` and `POST /events`) of events signed by the
 * caller (shared/epcis/capture.ts): each event carries the Waybill transaction it became, which
 * must keep exactly that event under its GS1 event hash. A capture is a job: accepted at once,
 * then admitted to the pool and followed until every transaction is final or refused; its status
 * lists each event that did not land, by index, with the protocol's code.
 *
 * Jobs live in memory: a restart forgets them (the events that landed are on chain, and a
 * capture sent again finds them there: the same signed transaction is a DUPLICATE that is final).
 */
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { capturedTxProblem, readSignedCapture } from '@waybill/shared/epcis';
import { TransactionsService } from '../api/transactions.service.js';
import { TxStatus } from '../api/models.js';

export type CaptureErrorBehaviour = 'proceed' | 'rollback';

export interface CaptureError {
  /** The event's position in the posted document; -1: the document. */
  index: number;
  eventID?: string;
  code: string;
  message: string;
  path?: string;
}

/** A capture job's status, as `GET /capture/{captureID}` answers it. */
export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success?: boolean;
  captureErrorBehaviour: CaptureErrorBehaviour;
  /** Events in the document, and how many are final on chain. */
  eventCount: number;
  finalCount: number;
  errors: CaptureError[];
}

/** Most events one capture takes (the REST binding's GS1-EPCIS-Capture-Limit). */
export const CAPTURE_LIMIT = 10_000;
/** Finished jobs kept for their status. */
const KEPT_JOBS = 1_000;
/** How long a job waits for one transaction to settle. */
const SETTLE_TIMEOUT_MS = 60_000;
const ADMIT_BATCH = 1_000;

export class CaptureRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface Candidate {
  index: number;
  eventID?: string;
  tx: unknown;
}

@Injectable()
export class CaptureService {
  private readonly jobs = new Map<string, CaptureJob>();

  constructor(private readonly transactions: TransactionsService) {}

  job(id: string): CaptureJob | undefined {
    return this.jobs.get(id);
  }

  /**
   * Checks the document's shape at once (a body that is no EPCIS document is refused here, with
   * nothing started) and starts the job; `done` resolves when it has finished.
   */
  start(
    body: unknown,
    behaviour: CaptureErrorBehaviour,
  ): { job: CaptureJob; done: Promise<CaptureJob> } {
    const { events, problems } = readSignedCapture(body);
    if (events.length === 0 && problems.some((p) => p.index === -1)) {
      throw new CaptureRefused('INVALID_DOCUMENT', problems.map((p) => p.message).join('; '));
    }
    if (events.length + problems.length > CAPTURE_LIMIT) {
      throw new CaptureRefused(
        'TOO_LARGE',
        `a capture takes at most ${CAPTURE_LIMIT} events; split the document`,
        413,
      );
    }
    const job: CaptureJob = {
      captureID: randomUUID(),
      createdAt: new Date().toISOString(),
      running: true,
      captureErrorBehaviour: behaviour,
      eventCount: events.length + problems.filter((p) => p.index >= 0).length,
      finalCount: 0,
      errors: problems.map((p) => ({
        index: p.index,
        code: 'INVALID_EVENT',
        message: p.message,
        path: p.field,
      })),
    };
    const candidates: Candidate[] = [];
    for (const event of events) {
      const eventID = typeof event.event.eventID === 'string' ? event.event.eventID : undefined;
      const problem = capturedTxProblem(event, event.tx);
      if (problem !== undefined) {
        job.errors.push({
          index: event.index,
          ...(eventID !== undefined && { eventID }),
          code: event.tx === undefined ? 'UNSIGNED_EVENT' : 'INVALID_EVENT',
          message: `event ${event.index}: ${problem}`,
        });
      } else
        candidates.push({
          index: event.index,
          ...(eventID !== undefined && { eventID }),
          tx: event.tx,
        });
    }
    this.keep(job);
    const done = this.run(job, behaviour === 'rollback' && job.errors.length > 0 ? [] : candidates);
    return { job, done };
  }

  private keep(job: CaptureJob): void {
    this.jobs.set(job.captureID, job);
    if (this.jobs.size <= KEPT_JOBS) return;
    for (const [id, old] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (!old.running) this.jobs.delete(id);
    }
  }

  private async run(job: CaptureJob, candidates: readonly Candidate[]): Promise<CaptureJob> {
    try {
      const pending: { candidate: Candidate; hash: string }[] = [];
      for (let i = 0; i < candidates.length; i += ADMIT_BATCH) {
        const batch = candidates.slice(i, i + ADMIT_BATCH);
        const results = await this.transactions.admit(batch.map((c) => c.tx));
        for (const result of results) {
          const candidate = batch[result.index] as Candidate;
          if (result.status === 'PENDING') {
            pending.push({ candidate, hash: result.hash });
          } else if (result.code === 'DUPLICATE' && result.hash !== undefined) {
            // Sent before (a capture repeated after a restart): follow the first.
            pending.push({ candidate, hash: result.hash });
          } else {
            this.fail(job, candidate, result.code, result.message, result.path);
          }
        }
      }
      for (const { candidate, hash } of pending) {
        const settled = await this.transactions.waitSettled(hash, SETTLE_TIMEOUT_MS);
        if (settled?.status === TxStatus.FINAL) job.finalCount++;
        else if (settled?.status === TxStatus.REJECTED)
          this.fail(job, candidate, settled.code ?? 'REJECTED', settled.message, settled.path);
        else
          this.fail(
            job,
            candidate,
            'TIMEOUT',
            `transaction ${hash} was not final within ${SETTLE_TIMEOUT_MS / 1000} s; ask for it by hash`,
            undefined,
          );
      }
    } catch (error) {
      job.errors.push({
        index: -1,
        code: 'CAPTURE_FAILED',
        message: `the capture stopped: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    job.errors.sort((a, b) => a.index - b.index);
    job.running = false;
    job.success = job.errors.length === 0;
    job.finishedAt = new Date().toISOString();
    return job;
  }

  private fail(
    job: CaptureJob,
    candidate: Candidate,
    code: string,
    message: string | undefined,
    path: string | undefined,
  ): void {
    job.errors.push({
      index: candidate.index,
      ...(candidate.eventID !== undefined && { eventID: candidate.eventID }),
      code,
      message: `event ${candidate.index}: ${message ?? code}`,
      ...(path !== undefined && { path }),
    });
  }
}
