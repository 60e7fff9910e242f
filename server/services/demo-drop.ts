/**
 * The demo drop: KAIRO's "Night Shift" capsule, two hoodies and two tees,
 * small stock (one size already gone), starting shortly after the server.
 */
import type { DropInput, ProductInput } from '../../src/protocol/types.js';

export const DEMO_DROP_ID = 'demo';

const sizes = (stock: [number, number, number, number]) =>
  (['s', 'm', 'l', 'xl'] as const).map((id, i) => ({ id, label: id.toUpperCase(), stock: stock[i] }));

const price = (usd: number, eur: number) => [
  { currency: 'USD', amount: usd },
  { currency: 'EUR', amount: eur },
];

const products: ProductInput[] = [
  {
    id: 'hoodie-night',
    title: 'Night Shift Hoodie — Ink',
    description:
      'Heavyweight 480 gsm loopback cotton, garment-dyed a deep ink blue. Dropped shoulders, double-layer hood, hidden media pocket. Reflective KAIRO wordmark that only shows under the lights.',
    images: [{ url: 'media/hoodie-night.svg', alt: 'Ink-blue hoodie with a small reflective wordmark on the chest' }],
    prices: price(12_900, 11_900),
    variants: sizes([3, 0, 4, 2]),
    limitPerCustomer: 2,
  },
  {
    id: 'hoodie-dawn',
    title: 'Night Shift Hoodie — Dawn',
    description:
      'The same heavyweight hoodie in a washed clay pink, the colour of the sky when the shift ends. Ribbed cuffs and hem, brushed interior, cut roomy.',
    images: [{ url: 'media/hoodie-dawn.svg', alt: 'Clay-pink hoodie, front view' }],
    prices: price(12_900, 11_900),
    variants: sizes([2, 5, 3, 2]),
    limitPerCustomer: 2,
  },
  {
    id: 'tee-signal',
    title: 'Signal Tee',
    description:
      'Boxy 240 gsm jersey tee in signal orange with a tonal back print of the drop date. Pre-shrunk, so the fit you try is the fit you keep.',
    images: [{ url: 'media/tee-signal.svg', alt: 'Bright orange boxy t-shirt' }],
    prices: price(4_900, 4_500),
    variants: sizes([6, 4, 5, 3]),
    limitPerCustomer: 2,
  },
  {
    id: 'tee-static',
    title: 'Static Tee',
    description:
      'Off-black boxy tee with a fine static-noise print across the chest, screen-printed by hand in a run of sixty. Each print lands a little differently.',
    images: [{ url: 'media/tee-static.svg', alt: 'Off-black t-shirt with a grainy grey chest print' }],
    prices: price(5_400, 4_900),
    variants: sizes([4, 6, 2, 0]),
    limitPerCustomer: 2,
  },
];

export function demoDrop({
  startsAt,
  holdMs,
  hls,
  poster,
}: {
  startsAt: number;
  holdMs: number;
  hls: string;
  poster: string | null;
}): DropInput & { id: string } {
  return {
    id: DEMO_DROP_ID,
    title: 'Night Shift',
    brand: 'KAIRO',
    description:
      'A four-piece capsule made for the hours after midnight: two heavyweight hoodies and two boxy tees, each in a single small run. Live from the studio; when a size is gone, it is gone.',
    startsAt,
    endsAt: null,
    stream: { hls, replay: null, poster },
    products,
    checkoutUrl: null,
    holdMs,
  };
}
