import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, executeServerCommand, sendKeys } from '@web/test-runner-commands';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { spyOnEventSource } from '../helpers/event-source-spy.js';
import { button, pickSize, reserveSize, shadow, textOf, untilState } from '../helpers/card.js';
import { createDrop, otherShopper, productInput, serverTime, type TestDrop } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';
import { withFetch } from '../helpers/with-fetch.js';
import { consoleLines } from '../helpers/console-lines.js';

async function card(t: TestDrop, productId = 'tee', attrs: { lang?: string; currency?: string } = {}) {
  const el = await fixture<DropProductCard>(html`<drop-product-card
    backend=${t.backend.url}
    drop=${t.id}
    product=${productId}
    lang=${attrs.lang ?? 'en-US'}
    currency=${attrs.currency ?? ''}
  ></drop-product-card>`);
  return el;
}

describe('<drop-product-card>', function () {
  this.timeout(20_000);

  it('shows the product from the backend: image with alt text, title, price, description', async () => {
    const t = await createDrop();
    const el = await card(t);
    await untilState(el, 'available');
    const img = shadow(el).querySelector('img')!;
    expect(img.alt).to.equal('Black tee with a green signal print');
    expect(img.src).to.equal(new URL('media/tee-signal.svg', t.backend.url + '/').href);
    expect(shadow(el).querySelector('[part="title"]')!.textContent).to.equal('Signal Tee');
    expect(shadow(el).querySelector('[part="price"]')!.textContent).to.equal('$45.00');
    expect(textOf(el)).to.contain('glow-in-the-dark');
  });

  it('goes locked → available → low stock → sold out as another shopper buys', async () => {
    const t = await createDrop({
      startsAt: (await serverTime()) + 2_500,
      products: [productInput('tee', { m: 7 }, { limitPerCustomer: 10 })],
    });
    const el = await card(t);
    await untilState(el, 'locked');
    const unlocks = new Intl.DateTimeFormat('en-US', { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(t.drop.startsAt);
    expect(shadow(el).querySelector('[part="stock"]')!.textContent).to.equal(`Unlocks ${unlocks}`);
    expect(button(el, 'Reserve').disabled).to.equal(true);
    expect(shadow(el).querySelector('.badge') === null, 'only a sold-out card has a badge').to.equal(true);

    await untilState(el, 'available', 10_000);
    expect(textOf(el)).to.contain('In stock');

    const other = await otherShopper();
    await other.buy(t.id, 'tee', 'm', 3);
    await untilState(el, 'low-stock');
    expect(textOf(el)).to.contain('Only 4 left');

    await other.buy(t.id, 'tee', 'm', 4);
    await untilState(el, 'sold-out');
    expect(textOf(el)).to.contain('Sold out');
    expect(button(el, 'Sold out').disabled).to.equal(true);
    expect(shadow(el).querySelector('[part="media"] .badge')!.textContent).to.equal('Sold out');
  });

  it('marks sold-out sizes in the size list and does not let them be picked', async () => {
    const t = await createDrop({ products: [productInput('tee', { s: 0, m: 2, l: 9 })] });
    const el = await card(t);
    await untilState(el, 'available');
    shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!.click();
    await until(() => !shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!.hidden, 'the size list opens');
    const options = [...shadow(el).querySelectorAll<HTMLElement>('[part~="size-option"]')];
    expect(options.map((o) => o.getAttribute('aria-disabled'))).to.deep.equal(['true', 'false', 'false']);
    expect(options[0].textContent).to.contain('Sold out');
    expect(options.map((o) => o.getAttribute('aria-label'))).to.deep.equal(['S, Sold out', 'M, Only 2 left', 'L, 9 left']);
    options[0].click();
    await el.updateComplete;
    expect(options[0].getAttribute('aria-selected')).to.equal('false');
    options[1].click();
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~="size-button"]')!.textContent).to.contain('M');
    expect(el.state).to.equal('low-stock');
  });

  it('holds the item with the remaining time from the server, then releases it on Release', async () => {
    const t = await createDrop({ holdMs: 120_000 });
    const el = await card(t);
    await untilState(el, 'available');
    expect(await reserveSize(el, 'M')).to.include({ productId: 'tee', variantId: 'm', status: 'held' });
    await untilState(el, 'reserved');
    expect(shadow(el).querySelector('[part="timer"]')!.textContent).to.match(/Held for (2:00|1:5\d)/);
    expect((await t.sales()).variants.find((v) => v.variantId === 'm')).to.include({ held: 1, available: 9 });

    button(el, 'Release').click();
    await untilState(el, 'available');
    await until(async () => (await t.reservations())[0].status === 'released', 'the server released the hold');
  });

  it('shows the hold as expired when its time runs out, and fires drop-reservation-expired', async () => {
    const t = await createDrop({ holdMs: 2_000 });
    const el = await card(t);
    await untilState(el, 'available');
    const expired = oneEvent(el, 'drop-reservation-expired');
    await reserveSize(el, 'S');
    const { detail } = await expired;
    expect(detail.reservation.variantId).to.equal('s');
    expect(el.state).to.equal('expired');
    expect(textOf(el)).to.contain('Your hold expired');
    button(el, 'Reserve again').click();
    await untilState(el, 'available');
  });

  it('does not call a hold expired when the site confirmed the order in the meantime', async () => {
    const t = await createDrop({ holdMs: 2_000 });
    const el = await card(t);
    await untilState(el, 'available');
    await t.confirm((await reserveSize(el, 'S')).id);
    let expired = false;
    el.addEventListener('drop-reservation-expired', () => (expired = true));
    await untilState(el, 'available', 8_000);
    expect(expired).to.equal(false);
    expect((await t.sales()).variants.find((v) => v.variantId === 's')!.sold).to.equal(1);
  });

  it('hands over to the site with a cancelable drop-checkout carrying the reservation and the checkout URL with only the reservation id filled in', async () => {
    const t = await createDrop({ checkoutUrl: 'https://shop.example/checkout?r={reservationId}&s={shopperToken}' });
    const el = await card(t);
    await untilState(el, 'available');
    await reserveSize(el, 'L');
    await untilState(el, 'reserved');
    const checkout = oneEvent(el, 'drop-checkout');
    el.addEventListener('drop-checkout', (e) => e.preventDefault(), { once: true });
    button(el, 'Checkout').click();
    const { detail } = await checkout;
    // A bearer token in a URL ends up in logs and Referer headers: {shopperToken} is not a placeholder (any more).
    expect(detail.checkoutUrl).to.equal(new URL(`https://shop.example/checkout?r=${detail.reservation.id}&s={shopperToken}`).href);
    expect(detail.checkoutUrl).not.to.contain(detail.shopperToken);
    expect(detail.shopperToken).to.match(/^shp_/);
    expect(location.href).not.to.contain('shop.example');
  });

  it('opens the checkout URL with the reservation filled in when the site does not take over', async () => {
    const here = location.href.split('#')[0];
    const t = await createDrop({ checkoutUrl: `${here}#checkout={reservationId}` });
    const el = await card(t);
    await untilState(el, 'available');
    const reservation = await reserveSize(el, 'M');
    await untilState(el, 'reserved');
    button(el, 'Checkout').click();
    try {
      await until(
        () => location.hash === `#checkout=${reservation.id}`,
        () => `the page goes to the checkout URL (at ${location.hash})`,
      );
    } finally {
      history.replaceState(null, '', here);
    }
  });

  it('tells the site when the product was seen and which size was picked', async () => {
    const t = await createDrop();
    const viewed = new Promise<CustomEvent>((resolve) =>
      document.addEventListener('drop-product-viewed', resolve as EventListener, { once: true }),
    );
    const el = await card(t);
    expect((await viewed).detail).to.deep.equal({ dropId: t.id, productId: 'tee' });
    await untilState(el, 'available');
    const selected = oneEvent(el, 'drop-variant-selected');
    await pickSize(el, 'L');
    expect((await selected).detail).to.deep.equal({ dropId: t.id, productId: 'tee', variantId: 'l' });
  });

  it('retries a reservation whose answer was lost with the same idempotency key, making exactly one reservation', async () => {
    const t = await createDrop();
    const el = await card(t);
    await untilState(el, 'available');
    await pickSize(el, 'M');

    const keys: string[] = [];
    // Fault injection: the first reservation reaches the server, then the answer is lost.
    const loseFirstAnswer =
      (realFetch: typeof fetch): typeof fetch =>
      async (input, init) => {
        const res = await realFetch(input, init);
        if (init?.method === 'POST' && String(input).endsWith(`/drops/${t.id}/reservations`)) {
          keys.push(new Headers(init.headers).get('idempotency-key')!);
          if (keys.length === 1) {
            await res.text();
            throw new TypeError('Failed to fetch');
          }
        }
        return res;
      };
    await withFetch(loseFirstAnswer, async () => {
      button(el, 'Reserve').click();
      await untilState(el, 'reserved');
    });
    expect(keys.length).to.equal(2);
    expect(keys[1]).to.equal(keys[0]);
    const reservations = await t.reservations();
    expect(reservations.map((r) => r.status)).to.deep.equal(['held']);
    expect((await t.sales()).variants.find((v) => v.variantId === 'm')!.held).to.equal(1);
  });

  it('shows Reserve as busy, with a pulsing dot, while the reservation is on its way', async () => {
    const t = await createDrop();
    const proxy = await executeServerCommand<{ id: string; url: string }, { target: string }>('fault-proxy:start', {
      target: t.backend.url,
    });
    try {
      // The reservation's answer arrives 1.5 s late, so the card stays reserving long enough to look at.
      await executeServerCommand('fault-proxy:delay-answers', { id: proxy.id, path: '/reservations$', ms: 1500 });
      const el = await fixture<DropProductCard>(
        html`<drop-product-card backend=${proxy.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card>`,
      );
      await untilState(el, 'available');
      await pickSize(el, 'M');
      const reserve = button(el, 'Reserve');
      expect(reserve.getAttribute('aria-busy')).to.equal('false');
      expect(getComputedStyle(reserve, '::before').content, 'no dot while idle').to.equal('none');
      reserve.click();
      await untilState(el, 'reserving');
      expect(reserve.getAttribute('aria-busy')).to.equal('true');
      expect(reserve.textContent!.trim()).to.equal('Reserving…');
      const dot = getComputedStyle(reserve, '::before');
      expect(dot.content).to.equal('""');
      expect(parseFloat(dot.width)).to.be.greaterThan(0);
      expect(dot.animationName).to.equal('pulse');
      expect(parseFloat(dot.animationDuration)).to.be.greaterThan(0);
      // Under reduced motion the dot stays, still.
      await emulateMedia({ reducedMotion: 'reduce' });
      try {
        const still = getComputedStyle(reserve, '::before');
        expect(still.content).to.equal('""');
        expect(still.animationDuration).to.equal('0s');
      } finally {
        await emulateMedia({ reducedMotion: 'no-preference' });
      }
      await untilState(el, 'reserved', 10_000);
    } finally {
      await executeServerCommand('fault-proxy:stop', { id: proxy.id });
    }
  });

  it('says why a reservation was refused and stays usable', async () => {
    const t = await createDrop({ products: [productInput('tee', { s: 1, m: 5 })] });
    const el = await card(t);
    await untilState(el, 'available');
    await pickSize(el, 'S');
    await (await otherShopper()).buy(t.id, 'tee', 's');
    // The click may race the stock event: either the button is already disabled, or the server refuses.
    const reserve = button(el, /Reserve|Sold out/);
    if (!reserve.disabled) {
      reserve.click();
      await until(() => /Just sold out|Sold out/.test(textOf(el)), 'the card says the size sold out');
    }
    await untilState(el, 'sold-out');
    await pickSize(el, 'M');
    expect(el.state).to.equal('low-stock');
    expect(button(el, 'Reserve').disabled).to.equal(false);
  });

  it('opens one event stream for ten cards of one drop', async () => {
    const t = await createDrop({ products: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((id) => productInput(id)) });
    const spy = spyOnEventSource();
    try {
      const grid = await fixture(html`<div>
        ${t.drop.products.map((p) => html`<drop-product-card backend=${t.backend.url} drop=${t.id} product=${p.id}></drop-product-card>`)}
      </div>`);
      const cards = [...grid.querySelectorAll('drop-product-card')];
      await until(() => cards.every((c) => c.state === 'available'), 'all ten cards show their product');
      // The server counts its viewers: one connection.
      const { dropStore } = await import('../../src/core/drop-store.js');
      const $viewers = dropStore(t.backend.url, t.id).$viewers;
      const off = $viewers.listen(() => {});
      await until(() => $viewers.get() === 1, `the server counts one viewer (it says ${$viewers.get()})`);
      off();
      expect(spy.urls().filter((u) => u.includes(`/drops/${t.id}/events`))).to.have.length(1);
    } finally {
      spy.restore();
    }
  });

  it('shows an error with a retry button for a backend that cannot be reached, and says so in the console', async () => {
    let el!: DropProductCard;
    const errors = await consoleLines('error', async () => {
      el = await fixture<DropProductCard>(
        html`<drop-product-card backend="http://127.0.0.1:9" drop="unreachable" product="tee"></drop-product-card>`,
      );
      await untilState(el, 'error');
    });
    expect(errors.join('\n')).to.contain('could not load drop "unreachable" from http://127.0.0.1:9');
    expect(textOf(el)).to.contain('Could not reach the shop');
    expect(shadow(el).querySelector('[role="alert"]')).to.exist;
    expect(button(el, 'Try again')).to.exist;
  });

  it('shows an error, not a blank card, when the backend answers with malformed data', async () => {
    const t = await createDrop();
    const malformed = { ...t.drop, products: [{ ...t.drop.products[0], prices: [{ currency: 'USD', amount: 'cheap' }] }] };
    // Fault injection: the drop comes back with a price that is not a number.
    const el = await withFetch(
      (realFetch) => async (input, init) =>
        String(input).endsWith(`/v1/drops/${t.id}`) ? new Response(JSON.stringify(malformed)) : realFetch(input, init),
      async () => {
        const el = await card(t);
        await untilState(el, 'error');
        return el;
      },
    );
    expect(textOf(el)).to.contain('could not read');
    button(el, 'Try again').click();
    await untilState(el, 'available');
  });

  it('closes when the host ends the drop', async () => {
    const t = await createDrop();
    const el = await card(t);
    await untilState(el, 'available');
    await t.end();
    await untilState(el, 'ended');
    expect(textOf(el)).to.contain('This drop has ended');
    expect(button(el, 'Reserve').disabled).to.equal(true);
  });

  it('says so when the product is not part of the drop', async () => {
    const t = await createDrop();
    const el = await card(t, 'no-such-product');
    const { detail } = await oneEvent(el, 'drop-error');
    expect(detail.code).to.equal('product-not-found');
    expect(textOf(el)).to.contain('This product is not part of the drop.');
  });

  it('names what to set when no backend is configured', async () => {
    const errors = await consoleLines('error', async () => {
      const el = await fixture<DropProductCard>(html`<drop-product-card drop="demo" product="tee"></drop-product-card>`);
      await untilState(el, 'error');
      expect(textOf(el)).to.contain('not set up');
    });
    expect(errors.join('\n')).to.contain(
      'backend="https://…" attribute, data-backend on the live-drop script tag, or call configure({ backend })',
    );
  });

  it('speaks German with euro prices under lang="de", English with dollars under lang="en-US"', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) + 3_600_000 });
    const de = await fixture(html`<div lang="de-DE">
      <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee"></drop-product-card>
    </div>`);
    const deCard = de.querySelector('drop-product-card')!;
    const enCard = await card(t, 'tee', { lang: 'en-US' });
    await untilState(deCard, 'locked');
    await untilState(enCard, 'locked');
    expect(shadow(deCard).querySelector('[part="price"]')!.textContent).to.equal('42,00\u00a0€');
    expect(textOf(deCard)).to.contain('Verfügbar ab');
    expect(textOf(deCard)).to.contain('Größe');
    expect(button(deCard, 'Reservieren').disabled).to.equal(true);
    expect(shadow(enCard).querySelector('[part="price"]')!.textContent).to.equal('$45.00');
    expect(textOf(enCard)).to.contain('Unlocks');
    expect(button(enCard, 'Reserve')).to.exist;
  });

  it('prices in the currency attribute when the drop sells in it', async () => {
    const t = await createDrop();
    const el = await card(t, 'tee', { lang: 'en-US', currency: 'EUR' });
    await untilState(el, 'available');
    expect(shadow(el).querySelector('[part="price"]')!.textContent).to.equal('€42.00');
  });

  it('renders text from the backend as text, never as markup', async () => {
    const t = await createDrop({ products: [productInput('tee', { m: 9 }, { title: '<img src=x onerror="window.pwned=1">Tee' })] });
    const el = await card(t);
    await untilState(el, 'available');
    expect(shadow(el).querySelector('[part="title"]')!.textContent).to.equal('<img src=x onerror="window.pwned=1">Tee');
    expect(shadow(el).querySelectorAll('img')).to.have.length(1);
  });

  it('has no axe violations in any state', async () => {
    const t = await createDrop({
      startsAt: (await serverTime()) + 2_000,
      holdMs: 2_000,
      products: [productInput('tee', { s: 0, m: 3, l: 9 })],
    });
    const el = await card(t);
    await untilState(el, 'locked');
    await expectNoAxeViolations(el, 'locked');
    await untilState(el, 'available', 10_000);
    await expectNoAxeViolations(el, 'available');
    shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!.click();
    await until(() => !shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!.hidden, 'the size list opens');
    await expectNoAxeViolations(el, 'the size list is open');
    [...shadow(el).querySelectorAll<HTMLElement>('[part~="size-option"]')][1].click();
    await untilState(el, 'low-stock');
    await expectNoAxeViolations(el, 'low stock');
    await reserveSize(el, 'L');
    await untilState(el, 'reserved');
    await expectNoAxeViolations(el, 'reserved');
    await untilState(el, 'expired');
    await expectNoAxeViolations(el, 'expired');
    // The server returns an expired unit on its own sweep (the reservation reads "expired" a little earlier); set stock after that.
    await until(async () => (await t.sales()).variants.find((v) => v.variantId === 'l')!.available === 9, 'the server took the unit back');
    await t.setStock('tee', 'm', 0);
    await t.setStock('tee', 'l', 0);
    button(el, 'Reserve again').click();
    await untilState(el, 'sold-out');
    await expectNoAxeViolations(el, 'sold out');

    const broken = await fixture<DropProductCard>(
      html`<drop-product-card backend="http://127.0.0.1:9" drop="x" product="y"></drop-product-card>`,
    );
    await expectNoAxeViolations(broken, 'loading');
    await untilState(broken, 'error');
    await expectNoAxeViolations(broken, 'error');
  });
});

describe('<drop-product-card> with the keyboard alone', function () {
  this.timeout(20_000);

  const focused = (el: Element) => el.shadowRoot!.activeElement as HTMLElement | null;

  it('picks a size from the listbox and reserves, then reaches Checkout', async () => {
    const t = await createDrop({ products: [productInput('tee', { s: 0, m: 4, l: 9 })] });
    const el = await card(t);
    await untilState(el, 'available');
    for (let i = 0; i < 6 && focused(el)?.getAttribute('part') !== 'size-button'; i++) await sendKeys({ press: 'Tab' });
    expect(focused(el)?.getAttribute('part')).to.equal('size-button');

    await sendKeys({ press: 'ArrowDown' });
    await until(() => focused(el)?.getAttribute('role') === 'listbox', 'the listbox takes focus');
    const list = focused(el)!;
    // S is sold out, so the list starts on the first size that can be picked.
    expect(list.getAttribute('aria-activedescendant')).to.equal('size-m');
    await sendKeys({ press: 'End' });
    expect(list.getAttribute('aria-activedescendant')).to.equal('size-l');
    await sendKeys({ press: 'Home' });
    expect(list.getAttribute('aria-activedescendant')).to.equal('size-s');
    await sendKeys({ press: 'Enter' });
    expect(list.hidden, 'a sold-out size cannot be picked').to.equal(false);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Enter' });
    await until(() => list.hidden, 'the list closes');
    expect(focused(el)?.getAttribute('part')).to.equal('size-button');
    expect(focused(el)!.textContent).to.contain('M');

    await sendKeys({ press: 'Tab' });
    expect(focused(el)!.textContent!.trim()).to.equal('Reserve');
    await sendKeys({ press: 'Enter' });
    await untilState(el, 'reserved');
    await until(() => focused(el)?.textContent?.trim() === 'Checkout', 'focus moves to Checkout');
    expect(shadow(el).querySelector('[role="status"]')!.textContent).to.equal('Reserved for you. Finish checkout before the timer ends.');
    const checkout = oneEvent(el, 'drop-checkout');
    el.addEventListener('drop-checkout', (e) => e.preventDefault(), { once: true });
    await sendKeys({ press: 'Enter' });
    expect((await checkout).detail.reservation.variantId).to.equal('m');
  });

  it('moves to a size by typing its first letters (type-ahead)', async () => {
    const t = await createDrop({ products: [productInput('tee', { xs: 3, s: 3, m: 3, l: 3, xl: 3, xxl: 3 })] });
    const el = await card(t);
    await untilState(el, 'available');
    shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => focused(el)?.getAttribute('role') === 'listbox', 'the listbox takes focus');
    const list = focused(el)!;
    const active = () => list.getAttribute('aria-activedescendant');
    /** Past the half second in which typed letters add up. */
    const pause = () => new Promise((r) => setTimeout(r, 600));
    expect(active()).to.equal('size-xs');
    await sendKeys({ press: 'm' });
    expect(active()).to.equal('size-m');
    // The same letter again steps through the sizes it starts, and wraps.
    await pause();
    await sendKeys({ press: 'x' });
    expect(active()).to.equal('size-xl');
    await pause();
    await sendKeys({ press: 'x' });
    expect(active()).to.equal('size-xxl');
    await pause();
    await sendKeys({ press: 'x' });
    expect(active()).to.equal('size-xs');
    // Letters typed in quick succession find the size that starts with all of them: "xs" from M is XS, not S.
    await pause();
    await sendKeys({ press: 'm' });
    await pause();
    await sendKeys({ type: 'xs' });
    expect(active()).to.equal('size-xs');
    await sendKeys({ press: 'Enter' });
    await until(() => list.hidden, 'the list closes');
    expect(focused(el)!.textContent).to.contain('XS');
  });

  it('leaves focus where the shopper is when live stock changes the card', async () => {
    const t = await createDrop({ products: [productInput('tee', { m: 9 })] });
    const page = await fixture(html`<div>
      <input aria-label="Search" />
      <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>
    </div>`);
    const el = page.querySelector('drop-product-card')!;
    const input = page.querySelector('input')!;
    await untilState(el, 'available');
    input.focus();
    await t.setStock('tee', 'm', 2);
    await untilState(el, 'low-stock');
    expect(document.activeElement).to.equal(input);
  });

  it('closes the size list with Escape and returns focus to its button', async () => {
    const t = await createDrop();
    const el = await card(t);
    await untilState(el, 'available');
    shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => focused(el)?.getAttribute('role') === 'listbox', 'the listbox opens');
    await sendKeys({ press: 'Escape' });
    await until(() => focused(el)?.getAttribute('part') === 'size-button', 'focus returns to the size button');
    expect(shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!.hidden).to.equal(true);
    expect(focused(el)!.getAttribute('aria-expanded')).to.equal('false');
  });
});
