import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { shadow, untilState } from '../helpers/card.js';
import { createDrop, productInput } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

/**
 * Opens the list and checks every frame on which it is shown: it always sits
 * against the size button, its start edge on the button's (left, or right in
 * a right-to-left page), placed by the path under test.
 */
async function expectPlacedOnEveryFrame(
  el: DropProductCard,
  open: () => Promise<unknown> | void,
  side: 'below' | 'above' | 'either' = 'either',
) {
  const { list, sizeButton } = parts(el);
  const placed = () => {
    const l = list.getBoundingClientRect();
    const b = sizeButton.getBoundingClientRect();
    const below = Math.abs(l.top - (b.bottom + 6)) <= 1;
    const above = Math.abs(l.bottom - (b.top - 6)) <= 1;
    const onSide = side === 'below' ? below : side === 'above' ? above : below || above;
    const start = getComputedStyle(el).direction === 'rtl' ? Math.abs(l.right - b.right) : Math.abs(l.left - b.left);
    return onSide && start <= 1;
  };
  const misplaced: string[] = [];
  let frames = 0;
  let watching = true;
  const watch = () => {
    if (!watching) return;
    if (list.matches(':popover-open')) {
      frames++;
      if (!placed()) misplaced.push(JSON.stringify([list.getBoundingClientRect(), sizeButton.getBoundingClientRect()]));
    }
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  await open();
  await until(() => list.matches(':popover-open') && frames >= 3, 'the list is shown for a few frames');
  watching = false;
  expect(list.hasAttribute('data-float'), 'placed by Floating UI').to.equal(floating);
  expect(misplaced).to.deep.equal([]);
  expect(placed()).to.equal(true);
}

/** The card's size button and size list. */
function parts(el: DropProductCard) {
  return {
    sizeButton: shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!,
    list: shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!,
  };
}

/** Renders `page` (which holds one card), waits until the card's sizes can be picked, and returns the page, the card and its parts. */
async function cardOn(page: TemplateResult) {
  const root = await fixture<HTMLElement>(page);
  const el = root.querySelector('drop-product-card')!;
  await untilState(el, 'available');
  return { root, el, ...parts(el) };
}

const untilClosed = (list: HTMLElement) => until(() => !list.matches(':popover-open'), 'the list closes');

let floating = false;

for (const path of ['CSS anchor positioning', 'Floating UI, where CSS anchor positioning is missing'] as const) {
  describe(`<drop-product-card> size list position: ${path}`, function () {
    this.timeout(20_000);
    const supports = CSS.supports;

    before(() => {
      floating = path.startsWith('Floating');
      // The one fake here: a browser without anchor positioning (Chromium has it).
      if (floating)
        CSS.supports = (...args: [string, string?]) =>
          /^(position|anchor)-/.test(args[0]) ? false : supports.apply(CSS, args as [string]);
    });

    after(() => {
      CSS.supports = supports;
    });

    it('opens against the size button on the first keyboard open, and again on a pointer open', async () => {
      const t = await createDrop({ products: [productInput('tee', { s: 3, m: 2, l: 9 })] });
      const { el, sizeButton, list } = await cardOn(
        html`<div style="width: 260px"><drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card></div>`,
      );
      await expectPlacedOnEveryFrame(el, async () => {
        sizeButton.focus();
        await sendKeys({ press: 'ArrowDown' });
      });
      await sendKeys({ press: 'Escape' });
      await untilClosed(list);
      await expectPlacedOnEveryFrame(el, () => sizeButton.click());
    });

    it('opens above the size button when there is no room below it, and below when there is', async () => {
      const t = await createDrop({ products: [productInput('tee', { s: 3, m: 2, l: 9, xl: 4 })] });
      const {
        root: wrapper,
        el,
        sizeButton,
        list,
      } = await cardOn(
        html`<div style="position: fixed; left: 16px; bottom: 8px; width: 260px">
          <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card>
        </div>`,
      );
      await expectPlacedOnEveryFrame(el, () => sizeButton.click(), 'above');
      sizeButton.click();
      await untilClosed(list);
      // A shopper reopens frames later; only a frame that renders the list hidden
      // makes the browser forget that it last had to flip it (CSS Anchor Positioning's
      // "last successful position option").
      await nextFrame();
      await nextFrame();
      // The card's top off screen: its size button sits in the upper half, with room below.
      Object.assign(wrapper.style, { bottom: '', top: '-240px' });
      await expectPlacedOnEveryFrame(el, () => sizeButton.click(), 'below');
    });

    it('follows the size button while the page scrolls', async () => {
      const t = await createDrop({ products: [productInput('tee', { s: 30, m: 20, l: 9 })] });
      const { el, sizeButton } = await cardOn(
        html`<div style="padding: 120px 0 3000px; width: 260px">
          <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card>
        </div>`,
      );
      sizeButton.scrollIntoView({ block: 'start' });
      await expectPlacedOnEveryFrame(
        el,
        async () => {
          sizeButton.click();
          // Scroll on the frames while the list is shown: it must move with its button, never lag behind.
          for (let i = 0; i < 6; i++) {
            await nextFrame();
            window.scrollBy(0, -15);
          }
          await nextFrame(); // both paths follow a scroll at the next frame, as the browser renders it
        },
        'below',
      );
      window.scrollTo(0, 0);
    });

    it('opens against its own card when several cards share a page', async () => {
      const t = await createDrop({ products: [productInput('tee', { s: 30, m: 20 }), productInput('hoodie', { m: 10, l: 40 })] });
      const row = await fixture<HTMLDivElement>(
        html`<div style="display: flex; gap: 24px">
          ${['tee', 'hoodie', 'tee'].map(
            (p) =>
              html`<drop-product-card style="width: 220px" backend=${t.backend.url} drop=${t.id} product=${p} lang="en-US"></drop-product-card>`,
          )}
        </div>`,
      );
      const cards = [...row.querySelectorAll('drop-product-card')];
      for (const card of cards) await untilState(card, 'available');
      const middle = cards[1];
      await expectPlacedOnEveryFrame(middle, () => parts(middle).sizeButton.click(), 'below');
    });

    // The list is made wider than its button, so only the edge it opens from lines up.
    for (const [page, card] of [
      ['ltr', 'rtl'],
      ['rtl', 'ltr'],
    ] as const) {
      it(`opens from the size button's ${card === 'rtl' ? 'right' : 'left'} edge in a ${card} card on a ${page} page`, async () => {
        const t = await createDrop({ products: [productInput('tee', { s: 30, m: 20 })] });
        document.documentElement.dir = page;
        try {
          const { el, sizeButton, list } = await cardOn(
            html`<div dir=${card} style="width: 300px">
              <style>
                drop-product-card::part(size-list) {
                  width: 260px;
                }
              </style>
              <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card>
            </div>`,
          );
          await expectPlacedOnEveryFrame(el, () => sizeButton.click(), 'either');
          expect(list.getBoundingClientRect().width).to.be.above(sizeButton.getBoundingClientRect().width + 50);
        } finally {
          document.documentElement.dir = '';
        }
      });
    }
  });
}
