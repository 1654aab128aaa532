import { describe, expect, it } from 'vitest';
import { isWaybillError } from '../src/errors.js';
import { chooseAnswer, linkSet } from '../src/gs1/index.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('the Digital Link resolver rule', () => {
  it('answers by link type first, in any of its spellings', () => {
    expect(chooseAnswer('gs1:traceability', BROWSER)).toBe('epcis');
    expect(chooseAnswer('gs1:epcis', undefined)).toBe('epcis');
    expect(chooseAnswer('https://gs1.org/voc/recallStatus', BROWSER)).toBe('recallStatus');
    expect(chooseAnswer('https://ref.gs1.org/voc/pip', 'application/json')).toBe('pip');
    expect(chooseAnswer('all', BROWSER)).toBe('linkset');
  });

  it('negotiates by Accept without one, best quality first', () => {
    expect(chooseAnswer(undefined, BROWSER)).toBe('pip');
    expect(chooseAnswer(undefined, undefined)).toBe('pip');
    expect(chooseAnswer(undefined, 'application/linkset+json')).toBe('linkset');
    expect(chooseAnswer(undefined, 'application/ld+json')).toBe('epcis');
    expect(chooseAnswer(undefined, 'text/html;q=0.5, application/ld+json')).toBe('epcis');
    expect(chooseAnswer(undefined, 'application/ld+json;q=0, text/html')).toBe('pip');
    expect(chooseAnswer(undefined, 'application/*')).toBe('linkset');
  });

  it('refuses a link type it does not serve', () => {
    try {
      chooseAnswer('gs1:smpc', BROWSER);
      expect.fail('accepted');
    } catch (error) {
      expect(isWaybillError(error) && error.code).toBe('INVALID_QUERY');
    }
  });

  it('lists every answer in the link set', () => {
    const set = linkSet({
      anchor: 'https://id.gs1.org/01/09521001001007/21/1',
      resolver: 'http://node/01/09521001001007/21/1',
      page: 'http://explorer/01/09521001001007/21/1',
      title: 'Milk, serial 1',
    });
    const [entry] = set.linkset;
    expect(entry?.anchor).toBe('https://id.gs1.org/01/09521001001007/21/1');
    expect(entry?.['https://gs1.org/voc/pip']).toEqual([
      {
        href: 'http://explorer/01/09521001001007/21/1',
        type: 'text/html',
        title: 'Milk, serial 1',
      },
    ]);
    expect(entry?.['https://gs1.org/voc/recallStatus']).toEqual([
      expect.objectContaining({
        href: 'http://node/01/09521001001007/21/1?linkType=gs1%3ArecallStatus',
        type: 'application/json',
      }),
    ]);
  });
});
