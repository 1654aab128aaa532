/**
 * Whatever a GS1 Digital Link path names: an item, lot or logistic unit opens its product page, a
 * bare GTIN its product class; anything GS1 does not accept says why.
 */
import { epcLabel, parseDigitalLinkPath } from '../utils/identifier';
import { loadProductClass, loadThing } from '../utils/load';
import { InvalidIdentifier } from './InvalidIdentifier';
import { ProductClassPage } from './ProductClassPage';
import { ThingPage } from './ThingPage';
import { gtinOf } from '../utils/recalls';

export function DigitalLinkPage({
  ai,
  segments,
  after,
}: {
  ai: '01' | '00';
  segments: readonly string[];
  after?: string | undefined;
}) {
  const parsed = parseDigitalLinkPath(ai, segments);
  if (!parsed.ok) return <InvalidIdentifier input={parsed.input} reason={parsed.reason} />;
  if (parsed.id.kind === 'product') return <ProductClassPage gtin={parsed.id.gtin} after={after} />;
  return <ThingPage epc={parsed.epc} id={parsed.id} />;
}

/** The page title: the product's name and the thing's identifier, or what the path is. */
export async function digitalLinkTitle(
  ai: '01' | '00',
  segments: readonly string[],
): Promise<string> {
  const parsed = parseDigitalLinkPath(ai, segments);
  if (!parsed.ok) return 'Invalid identifier';
  const label = epcLabel(parsed.epc);
  const gtin = gtinOf(parsed.id);
  if (gtin === undefined) return label;
  try {
    if (parsed.id.kind === 'product') {
      const { product } = await loadProductClass(gtin, undefined);
      return product?.name ?? label;
    }
    const { product } = await loadThing(parsed.epc, gtin);
    return product ? `${product.name} · ${label}` : label;
  } catch {
    return label;
  }
}
