import { verifyBundle } from '@waybill/shared/bundle';
import { render, screen, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { absoluteTime } from '@/lib/format';
import { routes } from '@/lib/routes';
import {
  buildColdChain,
  cheeseLot,
  CHEESE_CONDITIONS,
  overTheWire,
  pallet,
  rawLot,
} from '../test/chain';
import type { TimelineStep } from '../types';
import { readingsOfTimeline, timelineOf } from '../utils/timeline';
import { TemperatureChart } from './TemperatureChart';
import { Timeline } from './Timeline';

let steps: TimelineStep[];

beforeAll(async () => {
  const { bundle } = await buildColdChain();
  const verification = await verifyBundle(overTheWire(bundle), { expectedSubject: cheeseLot });
  expect(verification.ok).toBe(true);
  steps = timelineOf(verification, { subject: cheeseLot, conditions: CHEESE_CONDITIONS });
});

function journeySteps(): HTMLElement[] {
  return within(screen.getByRole('list', { name: 'Journey' })).getAllByRole('article');
}

/** The text of the description list entry named `term` in `scope`. */
function field(scope: HTMLElement, term: string): HTMLElement {
  const dt = within(scope).getByText(term, { selector: 'dt' });
  const dd = dt.nextElementSibling;
  if (!(dd instanceof HTMLElement)) throw new Error(`no value for ${term}`);
  return dd;
}

function step(title: RegExp, nth = 0): HTMLElement {
  const found = journeySteps().filter((a) =>
    title.test(within(a).getByRole('heading', { level: 3 }).textContent),
  );
  const match = found[nth];
  if (!match) throw new Error(`no step ${String(title)} #${nth}`);
  return match;
}

describe('Timeline', () => {
  it('shows every step in chain order with who did it, where and when', () => {
    render(<Timeline steps={steps} />);
    expect(
      journeySteps().map((a) => within(a).getByRole('heading', { level: 3 }).textContent),
    ).toEqual([
      'Step 1: Transformed',
      'Step 2: Packed',
      'Step 3: Handed over',
      'Step 4: Accepted',
      'Step 5: Temperature recorded',
      'Step 6: Handed over',
      'Step 7: Accepted',
      'Step 8: Unpacked',
      'Step 9: Temperature recorded',
    ]);

    const made = step(/Transformed/);
    expect(within(field(made, 'Who')).getByRole('link', { name: 'Acme Dairy' })).toHaveAttribute(
      'href',
      routes.org('acme'),
    );
    expect(field(made, 'Where')).toHaveTextContent(/^Acme Dairy plant \(GLN \d{13}\)$/);
    const madeAt = steps[0]?.eventTime ?? '';
    expect(field(made, 'When')).toHaveTextContent(absoluteTime(madeAt));

    const delivered = step(/Accepted/, 1);
    expect(field(delivered, 'Who')).toHaveTextContent('Rotterdam Cold Store');
    expect(field(delivered, 'Where')).toHaveTextContent('Rotterdam cold store, dock 4');
    expect(field(step(/Handed over/), 'Handed to')).toHaveTextContent('Swift Freight');
    // A step that names no location says so rather than leaving a blank.
    expect(field(step(/Handed over/), 'Where')).toHaveTextContent('Not stated');
  });

  it('links the transformation inputs and the pallet the lot travelled in', () => {
    render(<Timeline steps={steps} />);
    const input = within(field(step(/Transformed/), 'Made from')).getByRole('link', {
      name: /Lot RM1/,
    });
    expect(input).toHaveAttribute('href', routes.thing(rawLot));
    expect(field(step(/Transformed/), 'Made from')).toHaveTextContent('400');

    const packed = within(field(step(/Packed/), 'Packed into')).getByRole('link');
    expect(packed).toHaveAttribute('href', routes.thing(pallet));
    expect(packed).toHaveTextContent(/Logistic unit SSCC \d{18}/);

    // The carrier's reading was taken on the pallet: the step says so and links it.
    const onPallet = within(field(step(/Temperature recorded/), 'Travelling in')).getByRole('link');
    expect(onPallet).toHaveAttribute('href', routes.thing(pallet));
    expect(within(step(/Unpacked/)).getByRole('link', { name: /Logistic unit/ })).toHaveAttribute(
      'href',
      routes.thing(pallet),
    );
  });

  it('highlights the reading outside the product range, in words', () => {
    render(<Timeline steps={steps} />);
    const readings = within(step(/Temperature recorded/)).getByRole('list', {
      name: 'Sensor readings',
    });
    const items = within(readings).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      'Temperature 4.5 °C',
      'Temperature 9.1 °C ⚠ out of range (allowed 2–6 °C)',
      'Temperature 5.0 °C',
    ]);
    const later = within(step(/Temperature recorded/, 1)).getByRole('list', {
      name: 'Sensor readings',
    });
    expect(later).not.toHaveTextContent('out of range');
  });

  it('charts the temperatures with the range shaded and lists the excursion in text', () => {
    const readings = readingsOfTimeline(steps);
    render(<TemperatureChart readings={readings} condition={CHEESE_CONDITIONS[0]} />);
    const chart = screen.getByRole('img', { name: /Temperature readings over time/ });
    expect(chart).toHaveAccessibleName(
      expect.stringMatching(
        /4 readings .* between 3.8 °C and 9.1 °C; the product is to be kept at 2–6 °C; 1 outside that range/,
      ),
    );
    const out = screen.getByRole('list', { name: '1 reading out of range' });
    expect(within(out).getAllByRole('listitem')).toHaveLength(1);
    expect(out).toHaveTextContent(
      /9\.1 °C at .*, outside 2–6 °C, recorded by Swift Freight on Logistic unit SSCC/,
    );
  });

  it('says when nothing has been recorded yet', () => {
    render(<Timeline steps={[]} />);
    expect(screen.getByText('No steps recorded yet')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Journey' })).toBeNull();
  });
});
