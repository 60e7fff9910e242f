/**
 * Prices, dates and durations through `Intl`, with formatters cached per
 * language. Prices pick the drop's price in the visitor's currency.
 */
import type { Money } from '../protocol/types.js';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

/**
 * National currencies a drop is likely to price in. An ISO 4217 code starts
 * with its country's region code (USD: US), so the list is its own index.
 */
const NATIONAL = 'USD GBP CAD AUD NZD CHF JPY SEK NOK DKK PLN'.split(' ');
const EURO = 'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' ');

/** The usual currency of a locale's region, for the few regions a drop is likely to price in. */
export function localeCurrency(locale: string): string | undefined {
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale).maximize().region;
  } catch {
    return undefined;
  }
  if (!region) return undefined;
  // Liechtenstein pays in Swiss francs.
  return EURO.includes(region) ? 'EUR' : NATIONAL.find((c) => c.startsWith(region === 'LI' ? 'CH' : region));
}

/** The price to show: the preferred currencies in order, else the drop's default (first) price. */
export function pickPrice(prices: Money[], preferred: (string | undefined)[]): Money {
  for (const c of preferred) {
    const hit = c && prices.find((p) => p.currency === c.toUpperCase());
    if (hit) return hit;
  }
  return prices[0];
}

export function formatMoney(money: Money, locale: string): string {
  const f = cached(`n ${locale} ${money.currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }));
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(money.amount / 10 ** digits);
}

/** A wall-clock time the visitor can plan around, e.g. `Fri, 6:00 PM` (with the date when not this week). */
export function formatDateTime(ms: number, locale: string, now: number): string {
  const soon = Math.abs(ms - now) < 6 * 86_400_000;
  const f = cached(
    `d ${locale} ${soon}`,
    () =>
      new Intl.DateTimeFormat(
        locale,
        soon ? { weekday: 'short', hour: 'numeric', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' },
      ),
  );
  return f.format(ms);
}

/** `in 5 minutes` / `in 5 Minuten`, at the coarse steps of `announcementStep`. */
export function formatRelative(ms: number, locale: string): string {
  const f = cached(`r ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'always' }));
  return f.format(...announcementStep(ms));
}

/** Splits a duration into whole days, hours, minutes and seconds. */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number; seconds: number } {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return {
    days: Math.floor(total / 86_400),
    hours: Math.floor(total / 3600) % 24,
    minutes: Math.floor(total / 60) % 60,
    seconds: total % 60,
  };
}

/** A short clock-style duration: `4:09`, `1:04:09`, `2d 1:04:09`. */
export function formatClock(ms: number): string {
  const { days, hours, minutes, seconds } = splitDuration(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = hours || days ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
  return days ? `${days}d ${hms}` : hms;
}

/**
 * The step a screen reader hears, coarse enough not to chatter: days, then
 * hours, then each minute in the last hour, then every ten seconds in the
 * last minute. Returns a value and a unit for `Intl.RelativeTimeFormat`.
 */
export function announcementStep(ms: number): [number, Intl.RelativeTimeFormatUnit] {
  const s = Math.ceil(ms / 1000);
  if (s <= 50) return [Math.ceil(s / 10) * 10, 'second'];
  if (s <= 3600) return [Math.ceil(s / 60), 'minute'];
  if (s < 86_400) return [Math.floor(s / 3600), 'hour'];
  return [Math.floor(s / 86_400), 'day'];
}
