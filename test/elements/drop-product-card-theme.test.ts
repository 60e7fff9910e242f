import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { button, pickSize, untilState } from '../helpers/card.js';
import { createDrop, productInput } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

describe('<drop-product-card> theming', function () {
  this.timeout(20_000);
  afterEach(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));

  it('has no axe violations in dark mode, available, low on stock, reserved and sold out', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const t = await createDrop({ products: [productInput('tee', { s: 0, m: 2, l: 9 })] });
    const el = await fixture<DropProductCard>(
      html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>`,
    );
    await untilState(el, 'available');
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part~="base"]')!).backgroundColor).to.equal('rgb(23, 23, 26)');
    await expectNoAxeViolations(el, 'dark, available');
    await pickSize(el, 'M');
    await expectNoAxeViolations(el, 'dark, low stock');
    button(el, 'Reserve').click();
    await untilState(el, 'reserved');
    await expectNoAxeViolations(el, 'dark, reserved');
    await t.setStock('tee', 'l', 0);
    button(el, 'Release').click();
    await untilState(el, 'low-stock');
    await until(async () => (await t.reservations())[0].status === 'released', 'the server released the hold');
    await t.setStock('tee', 'm', 0);
    await untilState(el, 'sold-out');
    await expectNoAxeViolations(el, 'dark, sold out');
  });

  it('has a compact variant for overlays: image, title, price, stock and actions in one row, no description', async () => {
    const t = await createDrop({ products: [productInput('tee', { m: 3 })] });
    const el = await fixture<DropProductCard>(
      html`<drop-product-card compact backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>`,
    );
    await untilState(el, 'low-stock');
    const root = el.shadowRoot!;
    expect(root.querySelector('[part="description"]')).to.equal(null);
    expect(getComputedStyle(root.querySelector('[part~="base"]')!).flexDirection).to.equal('row');
    expect(root.querySelector('[part="stock"]')!.textContent).to.contain('Only 3 left');
    await expectNoAxeViolations(el, 'compact');
    button(el, 'Reserve').click();
    await untilState(el, 'reserved');
    await expectNoAxeViolations(el, 'compact, reserved');
  });

  it('takes the site colours from the public tokens', async () => {
    const t = await createDrop();
    const el = await fixture<DropProductCard>(html`<drop-product-card
      style="--drop-accent: rgb(225, 29, 72); --drop-radius: 3px"
      backend=${t.backend.url}
      drop=${t.id}
      product="tee"
    ></drop-product-card>`);
    await untilState(el, 'available');
    const reserve = getComputedStyle(button(el, 'Reserve'));
    expect(reserve.backgroundColor).to.equal('rgb(225, 29, 72)');
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part~="base"]')!).borderRadius).to.equal('3px');
  });

  it('keeps still when the visitor asks for reduced motion', async () => {
    const realFetch = window.fetch;
    // Fault injection: a backend that never answers keeps the card in its skeleton.
    window.fetch = () => new Promise(() => {});
    try {
      await emulateMedia({ reducedMotion: 'reduce' });
      const still = await fixture<DropProductCard>(
        html`<drop-product-card backend="https://silent.example" drop="a" product="p"></drop-product-card>`,
      );
      await new Promise(requestAnimationFrame);
      expect(still.state).to.equal('loading');
      expect(still.shadowRoot!.getAnimations()).to.deep.equal([]);
      await emulateMedia({ reducedMotion: 'no-preference' });
      const moving = await fixture<DropProductCard>(
        html`<drop-product-card backend="https://silent.example" drop="b" product="p"></drop-product-card>`,
      );
      await new Promise(requestAnimationFrame);
      expect(moving.state).to.equal('loading');
      expect(moving.shadowRoot!.getAnimations().length, 'the skeleton pulses otherwise').to.be.greaterThan(0);
    } finally {
      window.fetch = realFetch;
    }
  });
});
