'use client';
/**
 * The part of the product page the reader's browser checks: the journey timeline, its temperature
 * chart and the verification panel. The server renders it first with every step "checking"; the
 * browser then fetches the provenance bundle, verifies it with `shared`'s verifier and redraws each
 * step with its verdict. New events arrive over the live connection and are checked with the next
 * bundle.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { txLabel } from '@/lib/format';
import { useItemEvents, type LiveEvent } from '../hooks/useItemEvents';
import { lastDone, useVerification } from '../hooks/useVerification';
import type { Condition, RelatedThing, TimelineStep } from '../types';
import { conditionFor, TEMPERATURE } from '../utils/conditions';
import { describeStep, readingsOfTimeline, relatedOf, timelineOf } from '../utils/timeline';
import type { BundleVerifier } from '../utils/verification';
import { verifyInWorker } from '../workers/verify';
import { RelatedThings } from './RelatedThings';
import { TemperatureChart } from './TemperatureChart';
import { Timeline } from './Timeline';
import { VerificationPanel } from './VerificationPanel';

/** How long to wait for more live events before checking the bundle again. */
const RECHECK_DELAY_MS = 1500;

export function Provenance({
  subject,
  initialSteps,
  initialRelated = [],
  conditions,
  verify = verifyInWorker,
}: {
  subject: string;
  /** The journey as the server assembled it, every step "checking". */
  initialSteps: readonly TimelineStep[];
  initialRelated?: readonly RelatedThing[];
  conditions: readonly Condition[];
  verify?: BundleVerifier;
}) {
  const { state, refresh } = useVerification(subject, verify);
  const done = lastDone(state);
  const [live, setLive] = useState<LiveEvent[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const checked = useMemo((): TimelineStep[] => {
    if (!done) {
      if (state.phase !== 'unavailable') return [...initialSteps];
      return initialSteps.map((s) => ({
        ...s,
        verdict: { state: 'failed', reason: `your browser could not check it: ${state.message}` },
      }));
    }
    const { result } = done;
    if (result.journey.length > 0) return timelineOf(result, { subject, conditions });
    // The bundle failed as a whole (another genesis, another subject, malformed): the steps the
    // server showed are all unproven, for that one reason.
    const reason = result.problems[0] ?? 'the provenance bundle is invalid';
    return initialSteps.map((s) => ({ ...s, verdict: { state: 'failed', reason } }));
  }, [done, state, initialSteps, subject, conditions]);

  const steps = useMemo((): TimelineStep[] => {
    const known = new Set(checked.map((s) => s.hash));
    const fresh = live.filter((e) => !known.has(e.hash));
    if (fresh.length === 0) return checked;
    const orgBySigner = new Map(
      checked.flatMap((s) => (s.org ? [[s.signer, s.org] as const] : [])),
    );
    const places = new Map(
      checked.flatMap((s) =>
        s.location?.name !== undefined ? [[s.location.gln, s.location.name] as const] : [],
      ),
    );
    const orgNames = Object.fromEntries([...orgBySigner.values()].map((o) => [o.id, o.name]));
    return [
      ...checked,
      ...fresh.map((event) => {
        const payload = event.tx.payload as {
          eventTime?: string;
          bizLocation?: string;
          readPoint?: string;
        };
        const gln = payload.bizLocation ?? payload.readPoint;
        const org = orgBySigner.get(event.tx.signer);
        const place = gln !== undefined ? places.get(gln) : undefined;
        return describeStep(
          {
            hash: event.hash,
            type: event.tx.type,
            ...(event.height !== undefined && { height: event.height }),
            ...(payload.eventTime !== undefined && { eventTime: payload.eventTime }),
            signer: event.tx.signer,
            ...(org && { org }),
            ...(gln !== undefined && {
              location: { gln, ...(place !== undefined && { name: place }) },
            }),
            tx: event.tx,
          },
          { subject, conditions, orgNames },
          { state: 'new' },
        );
      }),
    ];
  }, [checked, live, subject, conditions]);

  const related = useMemo(
    () => (done && done.result.journey.length > 0 ? relatedOf(done.result) : initialRelated),
    [done, initialRelated],
  );

  const onEvent = useCallback(
    (event: LiveEvent) => {
      setLive((events) =>
        events.some((e) => e.hash === event.hash) ? events : [...events, event],
      );
      setAnnouncement(`A new step was recorded: ${txLabel(event.tx.type)}.`);
      clearTimeout(timer.current);
      timer.current = setTimeout(refresh, RECHECK_DELAY_MS);
    },
    [refresh],
  );
  useItemEvents(subject, onEvent);
  useEffect(() => () => clearTimeout(timer.current), []);

  const temperatures = readingsOfTimeline(steps).filter((r) => r.type === TEMPERATURE);
  const condition = temperatures[0]
    ? conditionFor(conditions, TEMPERATURE, temperatures[0].uom)
    : undefined;

  return (
    <>
      <VerificationPanel state={state} onRetry={refresh} subject={subject} />
      <TemperatureChart readings={temperatures} condition={condition} />
      <section aria-labelledby="journey-heading">
        <h2 id="journey-heading">Journey</h2>
        <Timeline steps={steps} />
      </section>
      <RelatedThings
        related={related}
        checked={done !== undefined && done.result.journey.length > 0}
      />
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
