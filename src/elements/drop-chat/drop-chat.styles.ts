import { css } from '../../core/css.js';

export const chatStyles = css`
  :host {
    --_surface: var(--drop-surface, #fff);
    --_text: var(--drop-text, #16161a);
    --_muted: color-mix(in srgb, var(--_text) 60%, transparent);
    --_line: color-mix(in srgb, var(--_text) 14%, transparent);
    display: block;
    min-height: 0;
    color: var(--_text);
  }

  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
    max-height: inherit;
    min-height: 0;
    box-sizing: border-box;
    gap: 0.375rem;
    padding: 0.625rem;
    border-radius: var(--_radius);
    background: var(--_surface);
    border: 1px solid var(--_line);
  }

  .messages {
    flex: 1 1 auto;
    min-height: 4rem;
    overflow-y: auto;
    overscroll-behavior: contain;
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }

  /* Few messages sit at the bottom, next to the composer, like the newest of many. */
  .messages > :first-child {
    margin-top: auto;
  }

  .messages:focus-visible,
  input:focus-visible,
  button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .message,
  .pinned {
    margin: 0;
    line-height: 1.35;
    overflow-wrap: anywhere;
    font-size: 0.9375rem;
  }

  .author {
    font-weight: 700;
    margin-inline-end: 0.375rem;
  }

  .mark {
    display: inline-block;
    margin-inline-end: 0.375rem;
    padding: 0 0.3em;
    border-radius: 0.25rem;
    font-size: 0.75rem;
    font-weight: 700;
    vertical-align: 0.1em;
  }

  /* The accent and its text colour, which a theme sets as a pair (the send button wears them too). */
  .mark.host {
    background: var(--_accent);
    color: var(--_accent-text);
  }

  .mark.verified {
    border: 1px solid currentColor;
  }

  .pinned {
    padding: 0.375rem 0.5rem;
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_text) 8%, transparent);
  }

  .pin {
    display: block;
    font-size: 0.75rem;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--_muted);
  }

  .status,
  .empty,
  .notice {
    margin: 0;
    font-size: 0.8125rem;
    color: var(--_muted);
  }

  .status {
    font-weight: 600;
  }

  .notice:empty {
    display: none;
  }

  /* One row where it fits: the name (asked once, then gone), the message taking what is left, Send beside them. */
  .composer {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
    container: composer / inline-size;
  }

  input {
    flex: 1 1 0;
    min-width: 0;
    font: inherit;
    font-size: 0.9375rem;
    padding: 0.5rem 0.5625rem;
    border-radius: calc(var(--_radius) / 2);
    border: 1px solid var(--_line);
    background: transparent;
    color: inherit;
  }

  /* Wide enough for its placeholder ("Your name", "Dein Name"), never more than a third of the row. */
  input.name {
    flex: 0 1 6.75em;
    max-width: 33%;
  }

  /*
   * Too narrow for the message's placeholder whole beside the name and Send: the name takes a row of its own above,
   * unless the chat is a short overlay (a small player), where a second row would push the message field out of sight.
   */
  @container composer (width < 20rem) {
    input.name {
      flex-basis: 100%;
      max-width: none;
    }
  }
  @container chat (height < 12rem) {
    input.name {
      flex-basis: 6.75em;
      max-width: 33%;
    }
  }

  button {
    flex: none;
    font: inherit;
    font-weight: 700;
    padding: 0.5rem 0.75rem;
    border: 0;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_accent);
    color: var(--_accent-text);
    cursor: pointer;
  }

  button:disabled,
  input:disabled {
    opacity: 0.55;
    cursor: default;
  }

  @media (prefers-reduced-motion: no-preference) {
    .message {
      animation: arrive 180ms ease-out;
    }
    @keyframes arrive {
      from {
        opacity: 0;
        transform: translateY(0.375rem);
      }
    }
  }

  /* Over a video: light text on the picture, no box, older messages fading out towards the top. */
  :host([variant='overlay']) {
    --_text: #fff;
  }

  :host([variant='overlay']) .base {
    background: none;
    border: 0;
    padding: 0.5rem;
    /* The player gives its chat a height, so the composer can ask how tall it is. */
    container: chat / size;
  }

  :host([variant='overlay']) .messages {
    mask-image: linear-gradient(to bottom, transparent, #000 45%);
  }

  :host([variant='overlay']) .message,
  :host([variant='overlay']) .status {
    text-shadow: 0 1px 2px rgb(0 0 0 / 0.8);
  }

  :host([variant='overlay']) .pinned {
    background: rgb(20 20 24 / 0.7);
  }

  :host([variant='overlay']) input {
    background: rgb(20 20 24 / 0.55);
    border-color: rgb(255 255 255 / 0.25);
  }

  :host([variant='overlay']) input::placeholder {
    color: rgb(255 255 255 / 0.75);
  }
`;
