import { configure, DropProductCard, type Reservation } from 'live-drop';

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

document.querySelector('drop-countdown')?.addEventListener('drop-started', (event) => {
  console.log('live since', new Date(event.detail.startsAt));
});
