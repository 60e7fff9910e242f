// KAIRO's example cart: what a shop writes to take over checkout from the
// product cards. It listens for `drop-checkout`, cancels the element's default
// (opening the drop's checkout URL), and keeps its own list of held items.
// Paying goes to the shop's own server (POST /checkout, demo/checkout.ts),
// which confirms each reservation with the host token that only it holds:
// the browser never confirms a sale. Nothing is charged.

const backend = document.querySelector('script[data-backend]').dataset.backend.replace(/\/+$/, '');
const cart = document.getElementById('cart');
const lines = cart.querySelector('.cart-lines');
const total = cart.querySelector('[data-total]');
const pay = cart.querySelector('.pay-button');
const toggle = document.querySelector('.cart-button');
const count = document.querySelector('.cart-count');

/** reservation id → { reservation, shopperToken, status } */
const items = new Map();
/** The drop's catalogue, for names, images and prices (public: GET /v1/drops/:id). */
const catalogue = fetch(`${backend}/v1/drops/demo`)
  .then((res) => (res.ok ? res.json() : null))
  .catch(() => null);

function setOpen(open) {
  if (open) cart.setAttribute('data-open', '');
  else cart.removeAttribute('data-open');
  toggle.setAttribute('aria-expanded', String(open));
  if (open) cart.querySelector('[data-close]').focus();
}
toggle.addEventListener('click', () => setOpen(!cart.hasAttribute('data-open')));
document.querySelectorAll('[data-close]').forEach((el) => el.addEventListener('click', () => setOpen(false)));
document.addEventListener('keydown', (e) => e.key === 'Escape' && setOpen(false));

const money = (m) =>
  new Intl.NumberFormat(document.documentElement.lang, { style: 'currency', currency: m.currency }).format(m.amount / 100);
const clock = (ms) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

async function render() {
  const drop = await catalogue;
  lines.replaceChildren();
  let sum = 0;
  let currency = 'USD';
  for (const item of items.values()) {
    const { reservation } = item;
    const product = drop?.products.find((p) => p.id === reservation.productId);
    const variant = product?.variants.find((v) => v.id === reservation.variantId);
    const price = product?.prices[0];
    if (price && item.status !== 'expired') {
      sum += price.amount * reservation.quantity;
      currency = price.currency;
    }
    const li = document.createElement('li');
    li.className = 'cart-line';
    li.dataset.status = item.status;
    li.dataset.reservation = reservation.id;
    const img = document.createElement('img');
    img.alt = '';
    if (product?.images[0]) img.src = new URL(product.images[0].url, `${backend}/`).href;
    const text = document.createElement('div');
    const name = document.createElement('strong');
    name.textContent = product?.title ?? reservation.productId;
    const size = document.createElement('small');
    size.textContent = `Size ${variant?.label ?? reservation.variantId} · Qty ${reservation.quantity}`;
    const hold = document.createElement('span');
    hold.className = 'hold';
    text.append(name, size, hold);
    const amount = document.createElement('span');
    amount.textContent = price ? money(price) : '';
    li.append(img, text, amount);
    lines.append(li);
  }
  if (items.size === 0) lines.innerHTML = '<li class="cart-empty">Nothing held yet. Reserve a size to start.</li>';
  total.textContent = items.size ? money({ currency, amount: sum }) : '—';
  const held = [...items.values()].filter((i) => i.status === 'held').length;
  count.textContent = String(held);
  pay.disabled = held === 0;
  tick();
}

/** Hold timers, once a second. */
function tick() {
  for (const li of lines.querySelectorAll('.cart-line')) {
    const item = items.get(li.dataset.reservation);
    const hold = li.querySelector('.hold');
    if (item.status === 'held' && item.reservation.expiresAt <= Date.now()) {
      item.status = 'expired';
      li.dataset.status = 'expired';
    }
    hold.textContent =
      item.status === 'held'
        ? `Held for ${clock(item.reservation.expiresAt - Date.now())}`
        : item.status === 'confirmed'
          ? 'Ordered. Thank you.'
          : 'Hold expired, back on sale';
  }
}
setInterval(tick, 1000);

document.addEventListener('drop-checkout', (event) => {
  event.preventDefault(); // this shop has its own cart
  const { reservation, shopperToken } = event.detail;
  items.set(reservation.id, { reservation, shopperToken, status: 'held' });
  count.classList.remove('bump');
  void count.offsetWidth; // restart the animation
  count.classList.add('bump');
  render();
  setOpen(true);
});

document.addEventListener('drop-reservation-expired', (event) => {
  const item = items.get(event.detail.reservation.id);
  if (item) item.status = 'expired';
  render();
});

pay.addEventListener('click', async () => {
  pay.disabled = true;
  pay.textContent = 'Paying…';
  const held = [...items.values()].filter((item) => item.status === 'held');
  try {
    const res = await fetch('/checkout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shopperToken: held[0]?.shopperToken, reservationIds: held.map((item) => item.reservation.id) }),
    });
    const { results } = res.ok ? await res.json() : { results: [] };
    for (const { reservationId, status } of results) {
      const item = items.get(reservationId);
      if (item) item.status = status === 'confirmed' ? 'confirmed' : status === 'not-held' ? 'expired' : item.status;
    }
  } catch {
    // Offline: the holds stay in the cart; pay again.
  }
  pay.textContent = 'Pay now';
  render();
});

render();
