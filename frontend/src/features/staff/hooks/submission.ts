'use client';
/**
 * Signs nothing itself: takes a signed transaction and follows it to the end. The status
 * subscription (`transactionStatus(hash)`, which waits for a hash it does not know yet) is opened
 * in an effect that runs before the one that submits, so the answer cannot be missed; while live
 * updates are down the transaction is polled instead. Stages: submitted → in block → final, or
 * rejected with the node's code and message.
 */
import type { SignedTx } from '@waybill/shared/tx';
import { txHash } from '@waybill/shared/tx';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNodeClient } from '@/lib/browser-node';
import { useLiveState, useSubscription } from '@/lib/live';
import { TX_STATUS_SUBSCRIPTION } from '../queries';

export type SubmissionPhase = 'idle' | 'submitting' | 'pending' | 'final' | 'rejected' | 'failed';

export interface Submission {
  phase: SubmissionPhase;
  hash?: string;
  tx?: SignedTx;
  height?: number;
  blockHash?: string;
  code?: string;
  message?: string;
  path?: string;
}

interface TxStatusData {
  hash: string;
  status: 'PENDING' | 'FINAL' | 'REJECTED';
  code?: string | null;
  message?: string | null;
  path?: string | null;
  height?: number | null;
  blockHash?: string | null;
}

const POLL_MS = 2000;
const RANK: Record<SubmissionPhase, number> = {
  idle: 0,
  submitting: 1,
  pending: 2,
  failed: 3,
  final: 4,
  rejected: 4,
};

/** Applies a status report unless it would move the submission backwards. */
function advance(current: Submission, report: TxStatusData): Submission {
  if (report.hash !== current.hash) return current;
  const phase: SubmissionPhase =
    report.status === 'FINAL' ? 'final' : report.status === 'REJECTED' ? 'rejected' : 'pending';
  if (RANK[phase] < RANK[current.phase]) return current;
  return {
    ...current,
    phase,
    ...(report.height == null ? {} : { height: report.height }),
    ...(report.blockHash == null ? {} : { blockHash: report.blockHash }),
    ...(report.code == null ? {} : { code: report.code }),
    ...(report.message == null ? {} : { message: report.message }),
    ...(report.path == null ? {} : { path: report.path }),
  };
}

export function useTxSubmission(): {
  submission: Submission;
  submit: (tx: SignedTx) => void;
  reset: () => void;
} {
  const client = useNodeClient();
  const live = useLiveState();
  const [submission, setSubmission] = useState<Submission>({ phase: 'idle' });
  const sent = useRef<string | null>(null);
  const { phase, hash, tx } = submission;
  const waiting = phase === 'submitting' || phase === 'pending';

  const report = useCallback((data: TxStatusData) => {
    setSubmission((current) => advance(current, data));
  }, []);

  // 1. Subscribe first (effects run in order) ...
  useSubscription<{ transactionStatus: TxStatusData }>(
    TX_STATUS_SUBSCRIPTION,
    { hash: hash ?? '' },
    (data) => {
      report(data.transactionStatus);
    },
    waiting && hash !== undefined,
  );

  // 2. ... then submit, once per transaction (a remounted effect must not send it twice).
  useEffect(() => {
    if (phase !== 'submitting' || !tx || !hash || sent.current === hash) return;
    sent.current = hash;
    client.submit(tx).then(
      (result) => {
        report({
          hash,
          status: result.status,
          code: result.code,
          message: result.message,
          path: result.path,
          height: result.height,
        });
      },
      (error: unknown) => {
        setSubmission((current) =>
          current.hash !== hash || RANK[current.phase] > RANK.pending
            ? current
            : {
                ...current,
                phase: 'failed',
                code:
                  typeof error === 'object' && error !== null && 'code' in error
                    ? String(error.code)
                    : 'UNREACHABLE',
                message: error instanceof Error ? error.message : String(error),
              },
        );
      },
    );
  }, [phase, tx, hash, client, report]);

  // 3. Without live updates, ask the node now and then.
  useEffect(() => {
    if (phase !== 'pending' || !hash || live === 'live') return;
    const timer = setInterval(() => {
      client.transaction(hash).then(
        (info) => {
          if (info) report({ ...info, hash });
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [phase, hash, live, client, report]);

  const submit = useCallback((signed: SignedTx) => {
    setSubmission({ phase: 'submitting', tx: signed, hash: txHash(signed) });
  }, []);
  const reset = useCallback(() => {
    setSubmission({ phase: 'idle' });
  }, []);
  return { submission, submit, reset };
}
