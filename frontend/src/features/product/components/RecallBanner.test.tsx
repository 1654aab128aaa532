import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { routes } from '@/lib/routes';
import type { RecallView, ThingView } from '../types';
import { recallsCovering } from '../utils/recalls';
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
});
