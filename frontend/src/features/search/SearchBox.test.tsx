import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { graphqlFetch, renderWithNode } from '../../../test/render';
import { SearchBox } from './SearchBox';

const push = vi.fn();
vi.mock('next/navigation', () => ({ useRouter: () => ({ push }) }));

const HITS = [
  { kind: 'ORGANIZATION', id: 'nordic-reefer', label: 'Nordic Reefer Logistics', height: null },
  {
    kind: 'THING',
    id: 'https://id.gs1.org/01/09520123456788/21/1001',
    label: 'Fresh whole milk 3.8% fat, 1 L · 1001',
    gtin: '09520123456788',
  },
  { kind: 'BLOCK', id: 'ab'.repeat(32), label: 'Block 42', height: 42 },
];

describe('SearchBox', () => {
  let fetchMock: ReturnType<typeof graphqlFetch>;
  beforeEach(() => {
    push.mockReset();
    fetchMock = graphqlFetch((_query, variables) => ({
      data: {
        search: HITS.filter((hit) =>
          hit.label.toLowerCase().includes(String(variables.q).toLowerCase()),
        ),
      },
    }));
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('suggests what the node finds as the user types, labelled by kind', async () => {
    renderWithNode(<SearchBox />);
    await userEvent.type(screen.getByRole('combobox'), 'nordic');
    const option = await screen.findByRole('option', { name: /Nordic Reefer Logistics/ });
    expect(option).toHaveTextContent('Organization');
    expect(fetchMock.calls.at(-1)?.variables).toEqual({ q: 'nordic' });
    expect(screen.getAllByRole('option')).toHaveLength(1);
  });

  it('does not ask the node about a single letter', async () => {
    renderWithNode(<SearchBox />);
    await userEvent.type(screen.getByRole('combobox'), 'n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fetchMock.calls).toHaveLength(0);
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('opens the highlighted suggestion with the keyboard: items on their Digital Link path', async () => {
    renderWithNode(<SearchBox />);
    const box = screen.getByRole('combobox');
    await userEvent.type(box, 'milk');
    await screen.findByRole('option', { name: /Fresh whole milk/ });
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(push).toHaveBeenCalledWith('/01/09520123456788/21/1001');
  });

  it('sends Enter without a highlighted suggestion to the results page', async () => {
    renderWithNode(<SearchBox />);
    await userEvent.type(screen.getByRole('combobox'), '42{Enter}');
    expect(push).toHaveBeenCalledWith('/search?q=42');
  });

  it('says when suggestions cannot be fetched', async () => {
    vi.stubGlobal(
      'fetch',
      graphqlFetch(() => ({ errors: [{ message: 'rate limited', extensions: { code: 'RATE' } }] })),
    );
    renderWithNode(<SearchBox />);
    await userEvent.type(screen.getByRole('combobox'), 'milk');
    await waitFor(() => {
      expect(screen.getByRole('status')).toHaveTextContent('Suggestions unavailable: rate limited');
    });
  });
});
