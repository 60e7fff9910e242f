/**
 * Reading a <drop-product-card> the way a shopper does: its state, its text,
 * its buttons by name.
 */
import { oneEvent } from '@open-wc/testing';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import type { Reservation } from '../../src/protocol/types.js';
import { until } from './until.js';

export const shadow = (card: Element) => card.shadowRoot!;

/** The card's visible text, whitespace collapsed. */
export const textOf = (card: Element) => (shadow(card).textContent ?? '').replace(/\s+/g, ' ').trim();

export function button(card: Element, name: string | RegExp): HTMLButtonElement {
  const buttons = [...shadow(card).querySelectorAll<HTMLButtonElement>('button')];
  const found = buttons.find((b) => (typeof name === 'string' ? b.textContent!.trim() === name : name.test(b.textContent!.trim())));
  if (!found) throw new Error(`no button "${name}" in: ${buttons.map((b) => b.textContent!.trim()).join(' | ')}`);
  return found;
}

export async function untilState(card: DropProductCard | (HTMLElement & { state: string }), state: string, timeout = 8_000) {
  await until(
    () => card.state === state,
    () => `the ${card.localName} is ${state} (it is ${card.state}: "${textOf(card).slice(0, 120)}")`,
    timeout,
  );
}

/** Picks a size with the mouse: opens the list and clicks the option. */
export async function pickSize(card: DropProductCard, label: string) {
  shadow(card).querySelector<HTMLButtonElement>('[part~="size-button"]')!.click();
  await until(() => !shadow(card).querySelector('[part~="size-list"]')!.hasAttribute('hidden'), 'the size list opens');
  const option = [...shadow(card).querySelectorAll<HTMLElement>('[part~="size-option"]')].find(
    (o) => o.firstElementChild!.textContent === label,
  );
  option!.click();
  await card.updateComplete;
}

/** Picks a size with the mouse and clicks Reserve; resolves with the reservation the card announces. */
export async function reserveSize(card: DropProductCard, label: string): Promise<Reservation> {
  await pickSize(card, label);
  const reserved = oneEvent(card, 'drop-reserved');
  button(card, 'Reserve').click();
  return (await reserved).detail.reservation;
}
