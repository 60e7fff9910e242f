/**
 * The size list's positioning for browsers without the CSS anchor
 * positioning the card's stylesheet uses (before Baseline 2026: Chromium
 * < 129, Safari < 26, Firefox < 147). Where it exists, the stylesheet places
 * the list and this module is never fetched: in the script-tag build it is a
 * lazy chunk, fetched as a card connects in such a browser.
 *
 * Floating UI's core places the list as the stylesheet does, near enough: below
 * the button with a 6 px gap, from its start edge in the card's direction,
 * above it when it would overflow the bottom of the viewport and there is
 * more room above. It differs in small ways: `shift` also keeps the list 8 px
 * inside the viewport sideways, and it follows the button only when the page
 * scrolls or resizes, not when the layout moves the button.
 */
import { computePosition, detectOverflow, offset, shift, type Middleware, type Platform } from '@floating-ui/core';

/**
 * Floating UI's own recipe for a small custom DOM platform, for the one case
 * this list has: it is a popover in the top layer (`position: fixed`), so both
 * rects are viewport rects and only the viewport clips it. The general
 * @floating-ui/dom platform (offset parents, scroll containers, transformed
 * ancestors) cannot matter there.
 */
const size = (el: HTMLElement) => ({ width: el.offsetWidth, height: el.offsetHeight });
const topLayer: Platform = {
  getElementRects: ({ reference, floating }) => {
    const { x, y, width, height } = (reference as Element).getBoundingClientRect();
    return { reference: { x, y, width, height }, floating: { x: 0, y: 0, ...size(floating) } };
  },
  getDimensions: size,
  getClippingRect: () => {
    const { clientWidth: width, clientHeight: height } = document.documentElement;
    return { x: 0, y: 0, width, height };
  },
  isRTL: (el) => getComputedStyle(el as Element).direction === 'rtl',
};

/**
 * Floating UI's `flip`, cut to the one flip this list makes (the stylesheet's
 * `position-try-fallbacks: flip-block`), written as a custom middleware, the
 * extension point Floating UI documents.
 */
const flipAbove: Middleware = {
  name: 'flipAbove',
  async fn(state) {
    if (state.placement !== 'bottom-start') return {};
    const { bottom } = await detectOverflow(state, { padding: 8 });
    const { y, height } = state.rects.reference;
    const roomAbove = y;
    const roomBelow = document.documentElement.clientHeight - y - height;
    return bottom > 0 && roomAbove > roomBelow ? { reset: { placement: 'top-start' } } : {};
  },
};

/** Places `list` against `button` now and on every scroll and resize; returns the function that stops following. */
export function float(button: HTMLElement, list: HTMLElement): () => void {
  list.style.minWidth = `${button.offsetWidth}px`;
  const follow = async () => {
    const { x, y } = await computePosition(button, list, {
      platform: topLayer,
      strategy: 'fixed',
      placement: 'bottom-start',
      middleware: [offset(6), flipAbove, shift({ padding: 8 })],
    });
    Object.assign(list.style, { left: `${x}px`, top: `${y}px` });
  };
  const onChange = () => void follow();
  onChange();
  addEventListener('scroll', onChange, { capture: true, passive: true });
  addEventListener('resize', onChange, { passive: true });
  return () => {
    removeEventListener('scroll', onChange, { capture: true });
    removeEventListener('resize', onChange);
  };
}
