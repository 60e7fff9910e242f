import { css } from '../../core/css.js';

export const cardStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    min-width: 0;
  }

  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    background: var(--_surface);
    border: 1px solid var(--_line);
    border-radius: var(--_radius);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.04), 0 8px 24px -12px rgb(0 0 0 / 0.12);
  }

  .media {
    position: relative;
    aspect-ratio: 4 / 5;
    background: var(--_subtle);
    overflow: hidden;
  }

  .image {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
    transition: filter var(--_speed) ease;
  }

  :host(:is([state='locked'], [state='sold-out'], [state='ended'])) .image {
    filter: grayscale(0.65);
    opacity: 0.8;
  }

  .badge {
    position: absolute;
    top: calc(var(--_space) * 0.75);
    left: calc(var(--_space) * 0.75);
    padding: 0.3rem 0.65rem;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_surface) 92%, transparent);
    backdrop-filter: blur(6px);
    color: var(--_text);
    font-size: 0.6875rem;
    font-weight: 700;
    letter-spacing: 0.08em;
    text-transform: uppercase;
  }

  .body {
    display: flex;
    flex-direction: column;
    flex: 1;
    gap: calc(var(--_space) * 0.5);
    padding: var(--_space);
  }

  .heading {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: calc(var(--_space) * 0.75);
  }

  .title {
    margin: 0;
    font-size: 1.0625rem;
    font-weight: 650;
    line-height: 1.3;
    letter-spacing: -0.01em;
  }

  .price {
    flex: none;
    font-size: 1rem;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }

  .description {
    margin: 0;
    color: var(--_muted);
    font-size: 0.875rem;
    line-height: 1.5;
    display: -webkit-box;
    -webkit-line-clamp: 3;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }

  .stock {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.5rem;
    font-size: 0.8125rem;
    font-weight: 600;
  }
  .stock :is(.success, .low, .danger)::before {
    content: '';
    display: inline-block;
    width: 0.45rem;
    height: 0.45rem;
    margin-right: 0.4rem;
    border-radius: 50%;
    background: currentColor;
    vertical-align: 0.08em;
  }
  .success {
    color: var(--_success);
  }
  /* After .badge, whose colour it replaces on the sold-out badge. */
  .danger {
    color: var(--_danger);
  }
  .low {
    color: var(--_warning);
  }
  .muted {
    color: var(--_muted);
    font-weight: 500;
  }

  .row {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_space) * 0.5);
    margin-top: auto;
    padding-top: calc(var(--_space) * 0.25);
  }

  button {
    white-space: nowrap;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-height: 2.75rem;
    padding: 0 1.1rem;
    border-radius: calc(var(--_radius) * 0.7);
    border: 1px solid transparent;
    font-size: 0.9375rem;
    font-weight: 600;
    cursor: pointer;
    transition: transform var(--_speed) ease;
  }
  :is(.primary, .secondary):active:not([disabled]) {
    transform: scale(0.98);
  }
  .primary {
    flex: 1 1 7rem;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .primary:hover:not([disabled]) {
    background: color-mix(in srgb, var(--_accent) 86%, var(--_surface));
  }
  .primary[disabled] {
    cursor: not-allowed;
    background: var(--_subtle);
    color: var(--_muted);
    border-color: var(--_line);
  }
  .primary[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.8;
  }
  /* Busy while the reservation is on its way: a pulsing dot before the label (still, under reduced motion: --_speed is 0). */
  .primary[aria-busy='true']::before {
    content: '';
    width: 0.5em;
    height: 0.5em;
    border-radius: 50%;
    background: currentColor;
    animation: pulse calc(var(--_speed) * 5) ease-in-out infinite;
  }
  .secondary {
    background: transparent;
    border-color: var(--_line);
  }
  .secondary:hover {
    background: var(--_subtle);
  }

  .size-button {
    anchor-name: --size;
    flex: 1 0 auto;
    justify-content: space-between;
    min-width: 6.5rem;
    padding: 0 0.75rem 0 0.9rem;
    background: var(--_surface);
    border-color: var(--_line);
    font-weight: 500;
  }
  .size-button[disabled] {
    cursor: not-allowed;
    color: var(--_muted);
  }
  .size-caption {
    color: var(--_muted);
    font-size: 0.8125rem;
  }
  .size-value {
    margin-right: auto;
    font-weight: 650;
  }
  .chevron {
    width: 1rem;
    height: 1rem;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.8;
    stroke-linecap: round;
    stroke-linejoin: round;
    transition: transform var(--_speed) ease;
  }
  [aria-expanded='true'] .chevron {
    transform: rotate(180deg);
  }

  .size-list {
    position: fixed;
    inset: auto;
    margin: 0;
    padding: 0.3rem;
    list-style: none;
    max-height: min(20rem, 60vh);
    overflow-y: auto;
    z-index: 10;
    background: var(--_surface);
    color: var(--_text);
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) * 0.7);
    box-shadow: 0 12px 32px -8px rgb(0 0 0 / 0.25);
    outline: none;
  }
  /*
   * Below the size button (its anchor-name), from its start edge in the card's own direction (the self- keywords:
   * the viewport, this popover's containing block, may run the other way); above it when there is no room below.
   * The margins are the 6px gap and, below or above, 8px from the viewport's edge.
   */
  .size-list:not([data-float]) {
    position-anchor: --size;
    position-area: self-block-end span-self-inline-end;
    position-try-fallbacks: flip-block;
    margin: 6px 0 8px;
    min-width: anchor-size(width);
  }
  .size-option {
    display: flex;
    justify-content: space-between;
    gap: 1rem;
    padding: 0.55rem 0.7rem;
    border-radius: calc(var(--_radius) * 0.45);
    font-size: 0.9375rem;
    font-weight: 600;
    cursor: pointer;
  }
  .size-option[data-active] {
    background: var(--_subtle);
    box-shadow: inset 0 0 0 1.5px color-mix(in srgb, var(--_accent) 55%, transparent);
  }
  .size-option[aria-selected='true'] {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .size-option[aria-disabled='true'] {
    cursor: not-allowed;
    color: var(--_muted);
  }
  .size-option[aria-disabled='true'] > span:first-child {
    text-decoration: line-through;
  }
  .note {
    font-size: 0.75rem;
    font-weight: 500;
    opacity: 0.8;
  }

  .hold {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    padding: 0.7rem 0.8rem;
    border-radius: calc(var(--_radius) * 0.7);
    background: color-mix(in srgb, var(--_success) 10%, var(--_surface));
    border: 1px solid color-mix(in srgb, var(--_success) 30%, transparent);
  }
  .timer {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .size-chip {
    padding: 0.1rem 0.45rem;
    border-radius: 0.4rem;
    background: var(--_surface);
    border: 1px solid var(--_line);
    font-size: 0.75rem;
  }
  .hint {
    font-size: 0.8125rem;
  }

  .error {
    margin: 0;
    color: var(--_danger);
    font-size: 0.8125rem;
    line-height: 1.45;
  }
  .error-card {
    justify-content: center;
    gap: var(--_space);
    padding: calc(var(--_space) * 1.5);
    min-height: 12rem;
  }
  .error-card .error {
    display: flex;
    flex-direction: column;
    gap: 0.35rem;
    font-size: 0.875rem;
  }
  .error-card strong {
    color: var(--_text);
    font-size: 1rem;
  }

  .skeleton .bone {
    height: 0.9rem;
    width: 70%;
    border-radius: 0.4rem;
  }
  .skeleton .bone.wide {
    width: 85%;
    height: 1.1rem;
  }
  .skeleton .bone.short {
    width: 40%;
  }
  .skeleton .bone.button {
    width: 100%;
    height: 2.75rem;
    margin-top: auto;
  }
  .skeleton .media,
  .skeleton .bone {
    background: var(--_subtle);
    --_pulse: 0.5;
    animation: pulse 1.8s ease-in-out infinite;
  }

  :host([state='reserved']) .base {
    border-color: color-mix(in srgb, var(--_success) 45%, transparent);
  }

  /* The player's overlay: a compact horizontal card. */
  :host([compact]) .base {
    flex-direction: row;
    align-items: stretch;
  }
  :host([compact]) .media {
    flex: none;
    width: 6rem;
    aspect-ratio: auto;
  }
  :host([compact]) .body {
    gap: 0.35rem;
    padding: calc(var(--_space) * 0.65);
  }
  :host([compact]) .title {
    font-size: 0.9375rem;
  }
  :host([compact]) .price {
    font-size: 0.875rem;
  }
  :host([compact]) button {
    min-height: 2.25rem;
    font-size: 0.8125rem;
    padding: 0 0.7rem;
  }
  :host([compact]) .size-button {
    min-width: 0;
  }
  :host([compact]) .size-caption,
  :host([compact]) .badge {
    display: none;
  }
  :host([compact]) .hold {
    padding: 0.4rem 0.55rem;
  }

  @container (max-width: 260px) {
    .row {
      flex-direction: column;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .skeleton .media,
    .skeleton .bone {
      animation: none;
    }
  }
`;
