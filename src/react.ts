/**
 * `live-drop/react`: the elements a site places as React components (the waiting
 * line's `<drop-line>` is not one: the card and the countdown render it), made by
 * `@lit/react`, for React 18 and 19. Each sets `drop`, `product` and the other
 * attributes as properties, and listens to the element's events through
 * `on…` props named after them (`onDropCheckout` for `drop-checkout`) with
 * `addEventListener` once the element is in the page, so the handlers work
 * in React 18 (which cannot listen to custom events from JSX) and after
 * `hydrateRoot` of server-rendered markup in React 19 (where `ondrop-checkout`
 * props are not attached: facebook/react#35446).
 *
 * On a server (`react-dom/server`, Next.js) the components render the element
 * with its attributes (`<drop-product-card drop="…" product="…">`): the markup
 * names its drop before any script runs, and the element starts with it when it
 * upgrades, before `hydrateRoot` hands it the props.
 *
 * Importing this module registers the four elements, the player and the chat included
 * (hls.js stays a chunk loaded when a player starts): `@lit/react` needs each
 * element's class to tell properties from attributes.
 */
import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import { isServer, type ReactiveElement } from 'lit';
import * as React from 'react';
import type { DropEventName } from './core/events.js';
import { DropChat as ChatElement } from './elements/drop-chat/drop-chat.js';
import { DropCountdown as CountdownElement } from './elements/drop-countdown/drop-countdown.js';
import { DropProductCard as CardElement } from './elements/drop-product-card/drop-product-card.js';
import { LiveDropPlayer as PlayerElement } from './elements/live-drop-player/live-drop-player.js';

/** `drop-checkout` → `DropCheckout`. */
type Pascal<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<S>;

/** The `on…` props of some events, each typed with the element's event (a `CustomEvent` with its `detail`). */
type EventProps<K extends DropEventName> = { [N in K as `on${Pascal<N>}`]: EventName<HTMLElementEventMap[N]> };

function eventProps<K extends DropEventName>(...names: K[]): EventProps<K> {
  const prop = (name: string) => 'on' + name.replace(/(^|-)(\w)/g, (_m, _dash, c: string) => c.toUpperCase());
  return Object.fromEntries(names.map((name) => [prop(name), name])) as unknown as EventProps<K>;
}

/**
 * A component whose props are `@lit/react`'s, less `state` (the element sets
 * it, for CSS), with what the element cannot work without made required.
 */
type Typed<C extends React.ElementType, Needs> = React.ForwardRefExoticComponent<
  Omit<React.ComponentPropsWithRef<C>, 'state' | 'drop' | 'product'> & Needs
>;

/**
 * The element as a React component. On a server: the element with its
 * properties written as its attributes (`controlsHidden` → `controls-hidden`,
 * `true` → present) and the other props as React renders them, handlers left
 * for the client; `@lit/react` alone would leave the properties out of the
 * markup (it hands them to `@lit-labs/ssr-react` only).
 */
function component<I extends ReactiveElement, K extends DropEventName>(
  tagName: string,
  elementClass: (new () => I) & typeof ReactiveElement,
  displayName: string,
  eventNames: readonly K[],
): ReactWebComponent<I, EventProps<K>> {
  const events = eventProps(...eventNames);
  if (!isServer) return createComponent({ react: React, tagName, elementClass: elementClass as new () => I, events, displayName });
  void elementClass.observedAttributes; // finalizes the class, which fills elementProperties
  const rendered = React.forwardRef<I, Record<string, unknown>>(({ className, ...props }, _ref) => {
    const attributes: Record<string, unknown> = className === undefined ? {} : { class: className };
    for (const [name, value] of Object.entries(props)) {
      const options = elementClass.elementProperties.get(name);
      if (Object.hasOwn(events, name) || options?.attribute === false) continue;
      if (!options) attributes[name] = value;
      else if (value !== undefined && value !== null && value !== false)
        attributes[typeof options.attribute === 'string' ? options.attribute : name.toLowerCase()] = value === true ? '' : String(value);
    }
    return React.createElement(tagName, attributes);
  });
  rendered.displayName = displayName;
  return rendered as unknown as ReactWebComponent<I, EventProps<K>>;
}

const COUNTDOWN_EVENTS = ['drop-started', 'drop-error'] as const;
const CARD_EVENTS = [
  'drop-product-viewed',
  'drop-variant-selected',
  'drop-reserved',
  'drop-reservation-expired',
  'drop-checkout',
  'drop-error',
] as const;
const CHAT_EVENTS = ['drop-chat-message', 'drop-error'] as const;
// The player shows a countdown before the show, the featured product's card and the chat over the video: their events bubble out of it.
const PLAYER_EVENTS = [
  'drop-featured-shown',
  'drop-reaction',
  'drop-player-state',
  'drop-started',
  'drop-chat-message',
  ...CARD_EVENTS,
] as const;

const countdown = component('drop-countdown', CountdownElement, 'DropCountdown', COUNTDOWN_EVENTS);
const card = component('drop-product-card', CardElement, 'DropProductCard', CARD_EVENTS);
const player = component('live-drop-player', PlayerElement, 'LiveDropPlayer', PLAYER_EVENTS);
const chat = component('drop-chat', ChatElement, 'DropChat', CHAT_EVENTS);

/** `<drop-countdown>`: counts down to the drop's start on the server's clock. Needs `drop`, or a fixed `target`. */
export const DropCountdown = countdown as Typed<typeof countdown, { drop: string } | { drop?: string; target: string }>;

/** `<drop-product-card>`: one product with live stock, its sizes and the hold. Needs `drop` and `product`. */
export const DropProductCard = card as Typed<typeof card, { drop: string; product: string }>;

/** `<live-drop-player>`: the drop's live show with the featured products. Needs `drop`. */
export const LiveDropPlayer = player as Typed<typeof player, { drop: string }>;

/** `<drop-chat>`: the drop's live chat, anywhere on the page (the player has one of its own). Needs `drop`. */
export const DropChat = chat as Typed<typeof chat, { drop: string }>;
