import { expect } from '@open-wc/testing';
import { announcementStep, formatClock, formatMoney, localeCurrency, pickPrice, splitDuration } from '../../src/i18n/format.js';

const s = 1000;
const min = 60 * s;
const h = 60 * min;

describe('formatting', () => {
  it('announces in days, then hours, then each minute of the last hour, then every ten seconds', () => {
    expect(announcementStep(3 * 24 * h + 5 * h)).to.deep.equal([3, 'day']);
    expect(announcementStep(5 * h + 59 * min)).to.deep.equal([5, 'hour']);
    expect(announcementStep(59 * min + 1 * s)).to.deep.equal([60, 'minute']);
    expect(announcementStep(12 * min + 30 * s)).to.deep.equal([13, 'minute']);
    expect(announcementStep(55 * s)).to.deep.equal([1, 'minute']);
    expect(announcementStep(41 * s)).to.deep.equal([50, 'second']);
    expect(announcementStep(3 * s)).to.deep.equal([10, 'second']);
  });

  it('splits a duration rounding up, so zero shows only at the deadline', () => {
    expect(splitDuration(26 * h + 3 * min + 4 * s + 1)).to.deep.equal({ days: 1, hours: 2, minutes: 3, seconds: 5 });
    expect(splitDuration(1)).to.deep.equal({ days: 0, hours: 0, minutes: 0, seconds: 1 });
    expect(formatClock(4 * min + 9 * s)).to.equal('4:09');
    expect(formatClock(h + 4 * min + 9 * s)).to.equal('1:04:09');
  });

  it('prices in the preferred currency the drop sells in, else its first price', () => {
    const prices = [
      { currency: 'USD', amount: 8900 },
      { currency: 'EUR', amount: 7900 },
    ];
    expect(pickPrice(prices, [undefined, 'eur'])).to.deep.equal(prices[1]);
    expect(pickPrice(prices, ['GBP', localeCurrency('en-GB')])).to.deep.equal(prices[0]);
    expect(localeCurrency('de-AT')).to.equal('EUR');
    expect(formatMoney(prices[1], 'de-DE')).to.equal('79,00\u00a0€');
    expect(formatMoney({ currency: 'JPY', amount: 12000 }, 'en-US')).to.equal('¥12,000');
  });

  it('knows the usual currency of the regions a drop is likely to price in, and of no others', () => {
    const usual = {
      'en-US': 'USD',
      'en-GB': 'GBP',
      'fr-CA': 'CAD',
      'en-AU': 'AUD',
      'en-NZ': 'NZD',
      'de-CH': 'CHF',
      'de-LI': 'CHF',
      ja: 'JPY',
    };
    const more = { sv: 'SEK', nb: 'NOK', da: 'DKK', pl: 'PLN', fr: 'EUR', 'nl-BE': 'EUR', el: 'EUR', 'hr-HR': 'EUR' };
    for (const [locale, currency] of Object.entries({ ...usual, ...more })) expect(localeCurrency(locale), locale).to.equal(currency);
    for (const locale of ['hi-IN', 'pt-BR', 'es-419', 'zh', 'not a locale']) expect(localeCurrency(locale), locale).to.equal(undefined);
  });
});
