import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { shadow, untilState } from '../helpers/card.js';
import { createDrop, productInput } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

/** Opens the list and checks every frame on which it is shown: it always sits against the size button. */
async function expectPlacedOnEveryFrame(el: DropProductCard, open: () => Promise<unknown> | void, side: 'below' | 'above' | 'either' = 'either') {
  const list = shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!;
  const sizeButton = shadow(el).querySelector<HTMLElement>('[part~="size-button"]')!;
  const placed = () => {
    const l = list.getBoundingClientRect();
    const b = sizeButton.getBoundingClientRect();
    const below = Math.abs(l.top - (b.bottom + 6)) <= 1;
    const above = Math.abs(l.bottom - (b.top - 6)) <= 1;
    const onSide = side === 'below' ? below : side === 'above' ? above : below || above;
    return onSide && Math.abs(l.left - b.left) <= 1;
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
  expect(misplaced).to.deep.equal([]);
  expect(placed()).to.equal(true);
}

describe('<drop-product-card> size list position', function () {
  this.timeout(20_000);

  it('opens against the size button on the first keyboard open, and again on a pointer open', async () => {
    const t = await createDrop({ products: [productInput('tee', { s: 3, m: 2, l: 9 })] });
    const el = await fixture<DropProductCard>(
      html`<div style="width: 260px"><drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card></div>`,
    ).then((d) => d.querySelector('drop-product-card')!);
    await untilState(el, 'available');
    const sizeButton = shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!;
    await expectPlacedOnEveryFrame(el, async () => {
      sizeButton.focus();
      await sendKeys({ press: 'ArrowDown' });
    });
    await sendKeys({ press: 'Escape' });
    await until(() => !shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!.matches(':popover-open'), 'the list closes');
    await expectPlacedOnEveryFrame(el, () => sizeButton.click());
  });

  it('opens above the size button when there is no room below it, and below when there is', async () => {
    const t = await createDrop({ products: [productInput('tee', { s: 3, m: 2, l: 9, xl: 4 })] });
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="position: fixed; left: 16px; bottom: 8px; width: 260px">
        <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en-US"></drop-product-card>
      </div>`,
    );
    const el = wrapper.querySelector('drop-product-card')!;
    await untilState(el, 'available');
    const sizeButton = shadow(el).querySelector<HTMLButtonElement>('[part~="size-button"]')!;
    await expectPlacedOnEveryFrame(el, () => sizeButton.click(), 'above');
    sizeButton.click();
    await until(() => !shadow(el).querySelector<HTMLElement>('[part~="size-list"]')!.matches(':popover-open'), 'the list closes');
    // The card's top off screen: its size button sits in the upper half, with room below.
    Object.assign(wrapper.style, { bottom: '', top: '-240px' });
    await expectPlacedOnEveryFrame(el, () => sizeButton.click(), 'below');
  });
});
