import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { routes } from '@/lib/routes';
import type { RecallView, ThingView } from '../types';
import { itemEpc, lotEpc } from '@waybill/shared/gs1';
import { explainRecallPath, recallsCovering, upstreamRecalls } from '../utils/recalls';
import { RecallBanner } from './RecallBanner';

const GTIN = '09521001003100';
const recall = (over: Partial<RecallView>): RecallView => ({
  id: 'ab'.repeat(32),
  gtin: GTIN,
  reason: 'Listeria found in a sample.',
  lots: ['Y1'],
  serials: null,
  open: true,
  issuer: 'fsa-nl',
  issuedAt: 18,
  issuedTime: null,
  closedAt: null,
  ...over,
});
const jar = { gtin: GTIN, lot: 'Y1', serial: null } as ThingView;

describe('recalls', () => {
  it('covers the thing by lot, serial or the whole GTIN, while open', () => {
    expect(recallsCovering(jar, [recall({})])).toHaveLength(1);
    expect(recallsCovering(jar, [recall({ lots: ['Y2'] })])).toHaveLength(0);
    expect(recallsCovering(jar, [recall({ lots: null })])).toHaveLength(1);
    expect(recallsCovering(jar, [recall({ open: false })])).toHaveLength(0);
    expect(recallsCovering(jar, [recall({ gtin: '09521001002103', lots: null })])).toHaveLength(0);
  });

  it('says loudly why and who, and says nothing when there is no recall', () => {
    const { rerender } = render(
      <RecallBanner recalls={[recall({})]} orgNames={{ 'fsa-nl': 'Food Safety Authority NL' }} />,
    );
    const banner = screen.getByRole('region', { name: /Recalled: do not consume or use/ });
    expect(banner).toHaveTextContent(
      'Listeria found in a sample. Lots Y1. Issued by Food Safety Authority NL in block 18 (the recall on chain).',
    );
    expect(within(banner).getByRole('link', { name: 'Food Safety Authority NL' })).toHaveAttribute(
      'href',
      routes.org('fsa-nl'),
    );
    rerender(<RecallBanner recalls={[]} orgNames={{}} />);
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('explains a recall two transformations upstream, from the thing back to the recalled lot', () => {
    const MILK = '09521001001007';
    const CHEESE = '09521001002004';
    const path = [
      { epc: lotEpc(MILK, 'M1'), via: 'recalled' as const },
      { epc: lotEpc(CHEESE, 'G1'), via: 'made-from' as const },
      { epc: itemEpc(GTIN, 'Y2'), via: 'made-from' as const },
    ];
    const names = { [MILK]: 'Whole milk 1 L', [CHEESE]: 'Gouda' };
    expect(explainRecallPath(path, names)).toBe(
      'This was made from lot G1 of Gouda, which was made from lot M1 of Whole milk 1 L.',
    );
    expect(
      explainRecallPath(
        [
          { epc: lotEpc(MILK, 'M1'), via: 'recalled' },
          { epc: 'https://id.gs1.org/00/395210010000000018', via: 'contains' },
          { epc: itemEpc(GTIN, 'Y3'), via: 'packed-in' },
        ],
        {},
      ),
    ).toBe(
      `This is packed in logistic unit SSCC 395210010000000018, which holds lot M1 of GTIN ${MILK}.`,
    );

    const upstreamRecall = recall({ gtin: MILK, lots: ['M1'], reason: 'Listeria' });
    const cup = {
      ...jar,
      lot: null,
      serial: 'Y2',
      recallReasons: { complete: true, reasons: [{ recall: upstreamRecall, path }] },
    } as ThingView;
    const direct = recallsCovering(cup, [upstreamRecall]);
    expect(direct).toEqual([]);
    const upstream = upstreamRecalls(cup, direct);
    expect(upstream).toHaveLength(1);
    render(
      <RecallBanner
        recalls={direct}
        upstream={upstream}
        orgNames={{ 'fsa-nl': 'Food Safety Authority NL' }}
        productNames={names}
      />,
    );
    const banner = screen.getByRole('region', { name: /Affected by a recall/ });
    expect(banner).toHaveTextContent(
      'This was made from lot G1 of Gouda, which was made from lot M1 of Whole milk 1 L. Lot M1 of Whole milk 1 L is recalled: Listeria. Issued by Food Safety Authority NL in block 18 (the recall on chain).',
    );
  });
});
