'use client';
/** Where a submitted transaction stands: signed → submitted → in block → final, or why it stopped. */
import Link from 'next/link';
import { Hash } from '@/components/Hash';
import { routes } from '@/lib/routes';
import type { Submission } from '../hooks/submission';

type Step = { label: string; state?: 'done' | 'failed'; current?: boolean };

function steps({ phase, height }: Submission): Step[] {
  const inBlock = height !== undefined;
  switch (phase) {
    case 'idle':
      return [];
    case 'submitting':
      return [
        { label: 'Signed', state: 'done' },
        { label: 'Submitting…', current: true },
        { label: 'In block' },
        { label: 'Final' },
      ];
    case 'pending':
      return [
        { label: 'Signed', state: 'done' },
        { label: 'Submitted', state: 'done' },
        { label: inBlock ? `In block #${String(height)}` : 'Waiting for a block', current: true },
        { label: 'Final' },
      ];
    case 'final':
      return [
        { label: 'Signed', state: 'done' },
        { label: 'Submitted', state: 'done' },
        { label: inBlock ? `In block #${String(height)}` : 'In block', state: 'done' },
        { label: 'Final', state: 'done', current: true },
      ];
    case 'rejected':
      return [
        { label: 'Signed', state: 'done' },
        { label: 'Submitted', state: 'done' },
        { label: 'Rejected', state: 'failed', current: true },
      ];
    case 'failed':
      return [
        { label: 'Signed', state: 'done' },
        { label: 'Not submitted', state: 'failed', current: true },
      ];
  }
}

function summary(submission: Submission, what: string): string {
  switch (submission.phase) {
    case 'idle':
      return '';
    case 'submitting':
      return `${what}: signed, sending to the node…`;
    case 'pending':
      return `${what}: submitted, waiting for the next block…`;
    case 'final':
      return `${what}: final${submission.height === undefined ? '' : ` in block #${String(submission.height)}`}.`;
    case 'rejected':
      return `${what}: rejected by the node.`;
    case 'failed':
      return `${what}: could not be submitted.`;
  }
}

export function TxProgress({ submission, what }: { submission: Submission; what: string }) {
  if (submission.phase === 'idle') return null;
  const { hash, height, code, message, path } = submission;
  return (
    <section className="card" aria-label={`${what}: progress`}>
      <ol className="pipeline" aria-label="Progress">
        {steps(submission).map((step) => (
          <li
            key={step.label}
            className={step.state}
            aria-current={step.current ? 'step' : undefined}
          >
            {step.label}
          </li>
        ))}
      </ol>
      <p role="status" aria-live="polite">
        {summary(submission, what)}
      </p>
      <dl className="fields">
        {hash ? (
          <>
            <dt>Transaction</dt>
            <dd>
              <Hash value={hash} href={routes.tx(hash)} label="transaction hash" />
            </dd>
          </>
        ) : null}
        {height !== undefined ? (
          <>
            <dt>Block</dt>
            <dd>
              <Link href={routes.block(height)}>#{height}</Link>
            </dd>
          </>
        ) : null}
      </dl>
      {submission.phase === 'rejected' || submission.phase === 'failed' ? (
        <div className="state state-error" role="alert">
          <p className="state-title">
            {submission.phase === 'rejected' ? 'The node rejected it' : 'It was not submitted'}
            {code ? (
              <>
                {' '}
                (<code>{code}</code>)
              </>
            ) : null}
          </p>
          {message ? <p>{message}</p> : null}
          {path ? (
            <p className="muted">
              At <code>{path}</code>
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
