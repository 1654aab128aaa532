/**
 * The consumer's page of an item, lot or logistic unit, rendered on the server for a fast first
 * paint: the product and its status at once, the recall banner when it is recalled, then the
 * journey streamed in as soon as the node has assembled the bundle. The browser takes over from
 * there (`Provenance`): it checks the bundle itself and follows new events.
 */
import type { Gs1Identifier } from '@waybill/shared/gs1';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { NodeError } from '@/components/NodeError';
import { ErrorState, Skeleton } from '@/components/states';
import { attempt } from '@/lib/attempt';
import styles from '../product.module.css';
import type { Condition } from '../types';
import { parseConditions } from '../utils/conditions';
import { loadJourney, loadOrgNames, loadProductNames, loadThing } from '../utils/load';
import { gtinOf, gtinOfEpc, recallsCovering, upstreamRecalls } from '../utils/recalls';
import { ProductHeader } from './ProductHeader';
import { Provenance } from './Provenance';
import { RecallBanner } from './RecallBanner';

export async function ThingPage({ epc, id }: { epc: string; id: Gs1Identifier }) {
  const loaded = await attempt(() => loadThing(epc, gtinOf(id)));
  if (!loaded.ok) return <NodeError error={loaded.error} what="this product" />;
  const { thing, product, recalls } = loaded.value;
  if (!thing) notFound();
  const covering = recallsCovering(thing, recalls);
  const upstream = upstreamRecalls(thing, covering);
  const issuers = [...covering, ...upstream.map((u) => u.recall)].map((r) => r.issuer);
  const [names, products] = await Promise.all([
    attempt(() => loadOrgNames([thing.owner, thing.custodian, ...issuers])),
    // The upstream paths name the products they pass through ("lot M1 of Whole milk 1 L").
    attempt(() =>
      loadProductNames(upstream.flatMap((u) => u.path.map((s) => s.epc)).flatMap(gtinOfEpc)),
    ),
  ]);
  const orgNames = names.ok ? names.value : {};
  const productNames = products.ok ? products.value : {};
  const conditions = parseConditions(product?.conditions);
  return (
    <article className={styles.page}>
      {/* A recall comes first: on a phone it must be seen before anything else. */}
      <RecallBanner
        recalls={covering}
        upstream={upstream}
        orgNames={orgNames}
        productNames={productNames}
      />
      <ProductHeader thing={thing} product={product} conditions={conditions} orgNames={orgNames} />
      <Suspense fallback={<JourneySkeleton />}>
        <Journey epc={thing.epc} conditions={conditions} />
      </Suspense>
    </article>
  );
}

export function JourneySkeleton() {
  return (
    <section className="card" aria-labelledby="journey-loading-heading">
      <h2 id="journey-loading-heading">Journey</h2>
      <Skeleton lines={8} label="Loading the journey" />
    </section>
  );
}

async function Journey({ epc, conditions }: { epc: string; conditions: Condition[] }) {
  const journey = await attempt(() => loadJourney(epc, conditions));
  return (
    <>
      {!journey.ok ? (
        <ErrorState
          title="The journey could not be loaded on the server"
          message={`${journey.error.message}. Your browser will still try to fetch and check it.`}
          code={journey.error.code}
        />
      ) : null}
      <Provenance
        subject={epc}
        initialSteps={journey.ok ? journey.value.steps : []}
        initialRelated={journey.ok ? journey.value.related : []}
        conditions={conditions}
      />
    </>
  );
}
