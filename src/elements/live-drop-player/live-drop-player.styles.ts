import { css } from '../../core/css.js';

export const playerStyles = css`
  :host {
    --_live: var(--drop-live, #ff2d55);
    --_ink: #fff;
    --_glass: rgb(20 20 24 / 0.55);
    --_glass-strong: rgb(20 20 24 / 0.78);
    display: block;
    container-type: inline-size;
  }

  .stage {
    position: relative;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
  }
  .base {
    grid-area: 1 / 1;
  }

  /* ---------------------------------------------------------- chat */

  /* Narrow: over the lower part of the video, above the control bar (62 px high), clear of the reaction button on the
     right, clicks passing through to the video. */
  .chat {
    grid-area: 1 / 1;
    align-self: end;
    z-index: 3;
    height: 58%;
    width: min(100% - 64px, 380px);
    margin-bottom: 64px;
    pointer-events: none;
    transition: margin-bottom 300ms;
  }
  .chat::part(pinned),
  .chat::part(messages),
  .chat::part(composer),
  .chat::part(notice) {
    pointer-events: auto;
  }
  :host([controls-hidden]) .chat {
    margin-bottom: 4px;
  }
  /* Wide (unless chat="overlay"): beside the video, as tall as it, wide enough for the composer on one row. */
  @container (min-width: 720px) {
    :host(:not([chat='overlay'])) .with-chat {
      grid-template-columns: minmax(0, 1fr) minmax(300px, 32%);
      column-gap: 12px;
    }
    :host(:not([chat='overlay'])) .chat {
      grid-area: 1 / 2;
      align-self: stretch;
      contain: size;
      height: auto;
      width: auto;
      margin: 0;
      border-radius: var(--_radius);
      background: #111116;
      pointer-events: auto;
    }
  }

  /* A video under 200 px high (a small landscape player, e.g. in a sidebar): below it, where the composer has room. */
  .chat-below .chat {
    grid-area: 2 / 1;
    height: 16rem;
    width: auto;
    margin: 8px 0 0;
    border-radius: var(--_radius);
    background: #111116;
    pointer-events: auto;
  }

  .base {
    position: relative;
    aspect-ratio: var(--drop-aspect-ratio, 16 / 9);
    overflow: hidden;
    border-radius: var(--_radius);
    background: #0b0b0f;
    color: var(--_ink);
    isolation: isolate;
  }

  :host(:fullscreen) .base {
    height: 100%;
    aspect-ratio: auto;
    border-radius: 0;
  }

  video,
  .poster {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: #0b0b0f;
  }

  video[hidden] {
    display: none;
  }

  :host(:fullscreen) video {
    object-fit: contain;
  }

  :host([state='offline']) video,
  :host([state='scheduled']) .poster,
  :host([state='ended']) .poster,
  :host([state='offline']) .poster,
  :host([state='error']) .poster {
    filter: brightness(0.55) saturate(1.1);
  }

  /* Scrims keep white text readable over any video. */
  .base::before,
  .base::after {
    content: '';
    position: absolute;
    inset-inline: 0;
    z-index: 1;
    pointer-events: none;
    transition: opacity 300ms;
  }
  .base::before {
    top: 0;
    height: 96px;
    background: linear-gradient(rgb(0 0 0 / 0.55), transparent);
  }
  .base::after {
    bottom: 0;
    height: 120px;
    background: linear-gradient(transparent, rgb(0 0 0 / 0.6));
  }
  :host([controls-hidden]) .base::after {
    opacity: 0;
  }

  button {
    cursor: pointer;
    -webkit-tap-highlight-color: transparent;
  }

  :focus-visible {
    outline: 2px solid #fff;
    outline-offset: 2px;
    box-shadow: 0 0 0 4px color-mix(in srgb, var(--_accent) 80%, transparent);
  }

  /* ---------------------------------------------------------- top bar */

  .top {
    position: absolute;
    z-index: 3;
    inset: 12px 12px auto;
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 13px;
    font-weight: 600;
  }

  .live-badge {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    padding: 4px 10px 4px 8px;
    border: 0;
    border-radius: 6px;
    background: var(--_live);
    color: #fff;
    font-size: 12px;
    font-weight: 800;
    letter-spacing: 0.08em;
    text-transform: uppercase;
  }
  .live-badge .dot {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: #fff;
    --_pulse: 0.35;
    animation: pulse 1.6s ease-in-out infinite;
  }
  .live-badge.behind {
    background: var(--_glass-strong);
  }
  .live-badge.behind .dot {
    background: #a1a1aa;
    animation: none;
  }
  .live-badge.behind:hover {
    background: var(--_live);
  }

  .viewers {
    display: inline-flex;
    align-items: center;
    gap: 5px;
    padding: 4px 9px;
    border-radius: 6px;
    background: var(--_glass);
    backdrop-filter: blur(8px);
    font-variant-numeric: tabular-nums;
  }
  .viewers svg {
    width: 16px;
    height: 16px;
  }

  .title {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    text-align: end;
    text-shadow: 0 1px 2px rgb(0 0 0 / 0.5);
    transition: opacity 300ms;
  }
  :host([controls-hidden]) .title {
    opacity: 0;
  }

  /* ---------------------------------------------------------- unmute */

  .unmute {
    position: absolute;
    z-index: 4;
    top: 52px;
    left: 12px;
    display: inline-flex;
    align-items: center;
    gap: 8px;
    padding: 8px 14px 8px 10px;
    border: 0;
    border-radius: 999px;
    background: #fff;
    color: #111;
    font-size: 14px;
    font-weight: 700;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.35);
    animation: pop 400ms cubic-bezier(0.2, 0.9, 0.3, 1.3) both;
  }
  .unmute svg {
    width: 20px;
    height: 20px;
  }

  /* ---------------------------------------------------------- controls */

  .controls {
    position: absolute;
    z-index: 3;
    inset: auto 0 0;
    display: flex;
    align-items: center;
    gap: 2px;
    padding: 8px 8px 10px;
    transition:
      opacity 300ms,
      transform 300ms;
  }
  :host([controls-hidden]) .controls,
  :host([controls-hidden]) .unmute {
    opacity: 0;
    transform: translateY(8px);
    pointer-events: none;
  }
  :host([controls-hidden]) .base {
    cursor: none;
  }

  .controls button {
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    border: 0;
    border-radius: 10px;
    background: transparent;
    color: #fff;
  }
  .controls button:hover {
    background: rgb(255 255 255 / 0.14);
  }
  .controls button[aria-pressed='true'] {
    color: var(--_live);
  }
  .spacer {
    flex: 1;
  }
  .progress {
    flex: 1;
    min-width: 0;
    margin: 0 6px;
    accent-color: var(--_live);
    cursor: pointer;
  }
  .clock {
    margin-inline-end: 6px;
    font-size: 12px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }

  .volume {
    width: 96px;
    margin: 0 8px 0 2px;
    accent-color: #fff;
    cursor: pointer;
  }
  @container (max-width: 480px) {
    .volume {
      display: none;
    }
  }

  /* ---------------------------------------------------------- featured product */

  .featured {
    position: absolute;
    z-index: 2;
    left: 12px;
    bottom: 64px;
    width: min(340px, calc(100% - 88px));
    animation: slide-in 420ms cubic-bezier(0.2, 0.8, 0.2, 1) both;
    filter: drop-shadow(0 10px 24px rgb(0 0 0 / 0.35));
    transition: bottom 300ms;
  }
  :host([controls-hidden]) .featured {
    bottom: 12px;
  }
  .featured drop-product-card {
    display: block;
    color: var(--_text);
  }
  /* On a phone the card would cover the show: it sits under the video instead. */
  @container (max-width: 560px) {
    .featured,
    :host([controls-hidden]) .featured {
      grid-row: 2;
      position: static;
      width: auto;
      margin-top: 10px;
      filter: none;
      animation-name: slide-down;
    }
  }

  /* ---------------------------------------------------------- reactions */

  .react {
    position: absolute;
    z-index: 4;
    right: 12px;
    bottom: 64px;
    display: grid;
    justify-items: center;
    gap: 2px;
    width: 52px;
    padding: 10px 0 6px;
    border: 0;
    border-radius: 999px;
    background: var(--_glass);
    backdrop-filter: blur(8px);
    color: var(--_live);
    transition:
      transform 120ms,
      bottom 300ms;
  }
  .react:active {
    transform: scale(0.9);
  }
  .react svg {
    width: 28px;
    height: 28px;
  }
  .react .count {
    color: #fff;
    font-size: 11px;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
  }
  :host([controls-hidden]) .react {
    bottom: 12px;
  }

  .reactions {
    position: absolute;
    z-index: 2;
    right: 18px;
    bottom: 120px;
    width: 40px;
    height: 0;
    pointer-events: none;
  }
  .bubble {
    position: absolute;
    bottom: 0;
    left: 4px;
    font-size: 26px;
    line-height: 1;
    will-change: transform, opacity;
  }

  /* ---------------------------------------------------------- messages */

  .message {
    position: absolute;
    z-index: 2;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 10px;
    padding: 24px;
    text-align: center;
    text-wrap: balance;
  }
  .message p {
    margin: 0;
    max-width: 36ch;
    font-size: 15px;
    color: rgb(255 255 255 / 0.82);
  }
  .message .headline {
    font-size: clamp(20px, 4.5cqi, 32px);
    font-weight: 800;
    line-height: 1.15;
    color: #fff;
    letter-spacing: -0.01em;
  }
  .message .eyebrow {
    font-size: 12px;
    font-weight: 700;
    letter-spacing: 0.14em;
    text-transform: uppercase;
    color: rgb(255 255 255 / 0.75);
  }
  .message > svg {
    width: 36px;
    height: 36px;
    opacity: 0.85;
  }
  .message drop-countdown {
    margin-top: 8px;
    --drop-surface: rgb(255 255 255 / 0.14);
    --drop-text: #fff;
    --drop-muted: rgb(255 255 255 / 0.75);
    --drop-accent: #fff;
    --drop-accent-text: #111;
  }
  @container (max-width: 480px) {
    .message {
      gap: 6px;
      padding: 16px;
    }
    .message drop-countdown {
      margin-top: 2px;
      font-size: 13px;
    }
  }

  .pill {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    margin-top: 6px;
    padding: 10px 18px;
    border: 0;
    border-radius: 999px;
    background: rgb(255 255 255 / 0.16);
    color: #fff;
    font-size: 15px;
    font-weight: 700;
  }
  .pill.primary {
    background: #fff;
    color: #111;
  }
  .pill svg {
    width: 20px;
    height: 20px;
  }

  .spinner {
    width: 36px;
    height: 36px;
    border: 3px solid rgb(255 255 255 / 0.25);
    border-top-color: #fff;
    border-radius: 50%;
    animation: spin 900ms linear infinite;
  }

  /* ---------------------------------------------------------- chapters */

  .chapters {
    margin-top: 12px;
    color: var(--_text);
  }
  .chapters h2 {
    margin: 0 0 8px;
    font-size: 15px;
    font-weight: 700;
  }
  .chapters ol {
    display: flex;
    gap: 8px;
    margin: 0;
    padding: 0 0 4px;
    overflow-x: auto;
    list-style: none;
    scroll-snap-type: x mandatory;
  }
  .chapters li {
    scroll-snap-align: start;
  }
  .chapter {
    display: grid;
    grid-template-columns: 44px auto;
    grid-template-rows: auto auto;
    column-gap: 10px;
    align-items: center;
    min-width: 180px;
    padding: 8px 14px 8px 8px;
    border: 1px solid var(--_line);
    border-radius: calc(var(--_radius) - 4px);
    background: var(--_surface);
    text-align: start;
  }
  .chapter:hover {
    background: var(--_subtle);
  }
  .chapter img,
  .chapter .thumb {
    grid-row: span 2;
    width: 44px;
    height: 44px;
    border-radius: 8px;
    object-fit: cover;
    background: var(--_subtle);
  }
  .chapter-title {
    font-size: 14px;
    font-weight: 600;
  }
  .chapter .time {
    font-size: 12px;
    color: var(--_muted);
    font-variant-numeric: tabular-nums;
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @keyframes pop {
    from {
      transform: scale(0.6);
      opacity: 0;
    }
  }
  @keyframes slide-down {
    from {
      transform: translateY(-12px);
      opacity: 0;
    }
  }
  @keyframes slide-in {
    from {
      transform: translateX(-24px);
      opacity: 0;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    .featured,
    .unmute,
    .live-badge .dot,
    .spinner {
      animation: none;
    }
    .controls,
    .react,
    .featured {
      transition: none;
    }
  }
`;
