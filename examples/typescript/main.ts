import { configure, confirmReservation, dropStore, DropProductCard, variantStock, type Reservation } from 'live-drop';

configure({ backend: 'http://localhost:8787', lang: 'de', currency: 'EUR' });

// The elements are known to TypeScript: createElement and querySelector return their classes.
const card: DropProductCard = document.createElement('drop-product-card');
card.drop = 'demo';
card.product = 'hoodie-night';
card.compact = true;
document.body.append(card);

const held: { reservation: Reservation; shopperToken: string }[] = [];
card.addEventListener('drop-checkout', (event) => {
  event.preventDefault(); // our own cart instead of the drop's checkout URL
  held.push({ reservation: event.detail.reservation, shopperToken: event.detail.shopperToken });
});

// Once your cart has taken the payment: turn each hold into an order before it expires.
export async function afterPayment() {
  for (const { reservation, shopperToken } of held) {
    const order = await confirmReservation('http://localhost:8787', reservation.id, shopperToken);
    console.log('order', order.id);
  }
}

document.querySelector('drop-countdown')?.addEventListener('drop-started', (event) => {
  console.log('live since', new Date(event.detail.startsAt));
});

// The drop's live state for your own UI: nanostores atoms fed by the same event stream the elements share.
const store = dropStore('http://localhost:8787', 'demo');
variantStock(store, 'hoodie-night', 'm').subscribe((left) => {
  if (left !== undefined) console.log('hoodie-night in M, left:', left);
});
