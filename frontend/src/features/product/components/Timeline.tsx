/**
 * The journey, oldest step first: what happened, who did it (the organization whose key signed),
 * where (the location's name, from its GLN), when, what it linked to (transformation inputs, the
 * pallets it travelled in), its sensor readings with out-of-range ones marked in words, and what
 * the reader's browser found when it checked the step.
 */
import Link from 'next/link';
import { Hash } from '@/components/Hash';
import { EmptyState } from '@/components/states';
import { TimeStamp } from '@/components/TimeStamp';
import { shortHash } from '@/lib/format';
import { routes } from '@/lib/routes';
import styles from '../product.module.css';
import type { TimelineStep } from '../types';
import { epcLabel } from '../utils/identifier';
import { VerdictBadge } from './VerdictBadge';

const VERDICT_CLASS = {
  verified: styles.verified,
  failed: styles.failed,
  new: styles.new,
  checking: '',
} as const;

export function Timeline({ steps }: { steps: readonly TimelineStep[] }) {
  if (steps.length === 0) {
    return (
      <EmptyState title="No steps recorded yet">
        <p>Steps appear here as the organizations handling it record them.</p>
      </EmptyState>
    );
  }
  return (
    <ol className={styles.timeline} aria-label="Journey">
      {steps.map((step, i) => (
        <li key={step.hash} className={`${styles.step} ${VERDICT_CLASS[step.verdict.state]}`}>
          <Step step={step} index={i + 1} />
        </li>
      ))}
    </ol>
  );
}

function Step({ step, index }: { step: TimelineStep; index: number }) {
  const titleId = `step-${step.hash}`;
  return (
    <article className="card" aria-labelledby={titleId}>
      <div className={styles.stepHeader}>
        <h3 id={titleId}>
          <span className="visually-hidden">Step {index}: </span>
          {step.title}
        </h3>
        <VerdictBadge verdict={step.verdict} />
      </div>
      <dl className="fields">
        <dt>Who</dt>
        <dd>
          {step.org ? (
            <Link href={routes.org(step.org.id)}>{step.org.name}</Link>
          ) : (
            <>
              An unknown organization <Hash value={step.signer} label="signer key" />
            </>
          )}
        </dd>
        <dt>Where</dt>
        <dd>
          {step.location ? (
            step.location.name !== undefined ? (
              <>
                {step.location.name} <span className="muted">(GLN {step.location.gln})</span>
              </>
            ) : (
              <>GLN {step.location.gln}</>
            )
          ) : (
            <span className="muted">Not stated</span>
          )}
        </dd>
        <dt>When</dt>
        <dd>
          {step.eventTime !== undefined ? (
            <TimeStamp iso={step.eventTime} relative={false} />
          ) : step.recordTime !== undefined ? (
            <>
              Recorded <TimeStamp iso={step.recordTime} relative={false} />
            </>
          ) : (
            <span className="muted">Just now</span>
          )}
        </dd>
        {step.via !== undefined ? (
          <>
            <dt>Travelling in</dt>
            <dd>
              <Link href={routes.thing(step.via)}>{epcLabel(step.via)}</Link>{' '}
              <span className="muted">(this happened to the unit it was packed in)</span>
            </dd>
          </>
        ) : null}
        {step.facts.map((fact) => (
          <FactRow
            key={`${fact.term}:${fact.text}`}
            term={fact.term}
            text={fact.text}
            href={fact.href}
          />
        ))}
        {step.links.map((group) => (
          <LinkRow key={group.term} term={group.term} items={group.items} />
        ))}
        <dt>Recorded in</dt>
        <dd>
          {step.height !== undefined ? (
            <>
              <Link href={routes.block(step.height)}>block {step.height}</Link>
              {' · '}
            </>
          ) : null}
          <Link href={routes.tx(step.hash)}>
            transaction <code>{shortHash(step.hash)}</code>
          </Link>
        </dd>
      </dl>
      {step.readings.length > 0 ? (
        <ul className={styles.readings} aria-label="Sensor readings">
          {step.readings.map((r, i) => (
            <li
              key={`${r.type}:${r.time}:${i}`}
              className={r.outOfRange ? styles.outOfRange : undefined}
            >
              {r.label} {r.display}
              {r.outOfRange ? (
                <>
                  {' '}
                  <span aria-hidden="true">⚠</span> out of range
                  {r.range !== undefined ? ` (allowed ${r.range})` : ''}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {step.corrections.length > 0 ? (
        <p className={styles.correction}>
          Declared erroneous by a later correction:{' '}
          {step.corrections.map((hash, i) => (
            <span key={hash}>
              {i > 0 ? ', ' : ''}
              <Link href={routes.tx(hash)}>
                <code>{shortHash(hash)}</code>
              </Link>
            </span>
          ))}
        </p>
      ) : null}
      {step.verdict.state === 'failed' ? (
        <p className={styles.reason}>Not verified: {step.verdict.reason}</p>
      ) : null}
    </article>
  );
}

function FactRow({ term, text, href }: { term: string; text: string; href?: string | undefined }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{href !== undefined ? <Link href={href}>{text}</Link> : text}</dd>
    </>
  );
}

function LinkRow({ term, items }: TimelineStep['links'][number]) {
  return (
    <>
      <dt>{term}</dt>
      <dd>
        <ul className={styles.stackList}>
          {items.map((item) => (
            <li key={item.epc}>
              <Link href={routes.thing(item.epc)}>{item.text}</Link>
              {item.detail !== undefined ? <span className="muted"> · {item.detail}</span> : null}
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}
