import { configure, dropStore, DropProductCard, variantStock, type Reservation } from 'live-drop';

configure({ backend: 'http://localhost:8787', lang: 'de', currency: 'EUR' });

// The elements are known to TypeScript: createElement and querySelector return their classes.
const card: DropProductCard = document.createElement('drop-product-card');
card.drop = 'demo';
card.product = 'hoodie-night';
card.compact = true;
document.body.append(card);

const held: Reservation[] = [];
card.addEventListener('drop-checkout', (event) => {
  event.preventDefault(); // our own cart instead of the drop's checkout URL
  held.push(event.detail.reservation);
});

// Paying is your checkout's job: your server takes the payment and then confirms each hold
// with the host token or the confirm key (docs/embedding.md). The browser never holds that secret.
export async function pay() {
  const res = await fetch('/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reservationIds: held.map((r) => r.id) }),
  });
  console.log(res.ok ? 'ordered' : 'payment failed');
}

document.querySelector('drop-countdown')?.addEventListener('drop-started', (event) => {
  console.log('live since', new Date(event.detail.startsAt));
});

// The drop's live state for your own UI: nanostores atoms fed by the same event stream the elements share.
const store = dropStore('http://localhost:8787', 'demo');
variantStock(store, 'hoodie-night', 'm').subscribe((left) => {
  if (left !== undefined) console.log('hoodie-night in M, left:', left);
});
