'use client';
/**
 * One staff action from button to block: read the current state, pre-check it, and only when
 * nothing is wrong sign with the in-memory key and follow the submission. A pre-check problem or
 * a payload shared refuses to build ends here, with nothing signed and nothing sent.
 */
import type { WaybillClient } from '@waybill/shared/client';
import { isWaybillError } from '@waybill/shared/errors';
import {
  createTx,
  type PayloadOf,
  type SignedTx,
  type SignedTxOf,
  type TxType,
} from '@waybill/shared/tx';
import { useCallback, useState } from 'react';
import { useNodeClient } from '@/lib/browser-node';
import type { StaffSession } from '../types';
import type { Problem, ThingStates } from '../utils/prechecks';
import { useSession } from './session';
import { useTxSubmission, type Submission } from './submission';
import { loadThings } from './things';

export interface PrepareContext {
  session: StaffSession;
  client: WaybillClient;
  /** Current states of these things and of every pallet they are packed in. */
  things: (epcs: readonly string[]) => Promise<ThingStates>;
  /** Builds and signs a transaction; throws shared's coded error on an invalid payload. */
  sign: <T extends TxType>(type: T, payload: PayloadOf<T>) => SignedTxOf<T>;
}

export type Prepared = Problem[] | SignedTx;

export interface StaffAction {
  /** Pre-checking against the node's state. */
  checking: boolean;
  /** What stopped the last attempt before signing. */
  problems: Problem[];
  submission: Submission;
  /** Busy from pre-check until the transaction is final, rejected or failed. */
  busy: boolean;
  run: (prepare: (context: PrepareContext) => Promise<Prepared>) => void;
  reset: () => void;
}

export function useStaffAction(): StaffAction {
  const session = useSession();
  const client = useNodeClient();
  const { submission, submit, reset: resetSubmission } = useTxSubmission();
  const [checking, setChecking] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);

  const run = useCallback(
    (prepare: (context: PrepareContext) => Promise<Prepared>) => {
      setChecking(true);
      setProblems([]);
      resetSubmission();
      const context: PrepareContext = {
        session,
        client,
        things: (epcs) => loadThings(client, epcs),
        sign: (type, payload) =>
          createTx({ chainId: session.chainId, type, payload, secretKey: session.secretKey }),
      };
      prepare(context)
        .then(
          (prepared) => {
            if (Array.isArray(prepared)) setProblems(prepared);
            else submit(prepared);
          },
          (error: unknown) => {
            if (isWaybillError(error)) {
              setProblems([
                {
                  message: `The transaction could not be built: ${error.message} (${error.code}).`,
                },
              ]);
            } else {
              const reason = error instanceof Error ? error.message : String(error);
              setProblems([
                { message: `Could not check the current state with the node: ${reason}` },
              ]);
            }
          },
        )
        .finally(() => {
          setChecking(false);
        });
    },
    [session, client, submit, resetSubmission],
  );

  const reset = useCallback(() => {
    setProblems([]);
    resetSubmission();
  }, [resetSubmission]);

  const busy = checking || submission.phase === 'submitting' || submission.phase === 'pending';
  return { checking, problems, submission, busy, run, reset };
}
