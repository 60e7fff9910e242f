/**
 * The public design tokens, shared by every element. Sites set them on the
 * element or any ancestor (`drop-product-card { --drop-accent: #e11d48 }`);
 * inside, elements read only the private `--_x` copies.
 *
 * | Token | Default (light / dark) |
 * |---|---|
 * | `--drop-accent` | `#111` / `#fafafa`: buttons, highlights |
 * | `--drop-accent-text` | text on the accent |
 * | `--drop-surface` | card background |
 * | `--drop-text` | main text |
 * | `--drop-muted` | secondary text, borders are mixed from it |
 * | `--drop-danger` | sold out, errors |
 * | `--drop-success` | live, reserved, in stock |
 * | `--drop-warning` | low stock |
 * | `--drop-radius` | corner radius (`14px`) |
 * | `--drop-font` | font stack (the page's font) |
 * | `--drop-space` | base spacing unit (`16px`) |
 */
import { css } from './css.js';

export const themeStyles = css`
  :host {
    --_accent: var(--drop-accent, #111114);
    --_accent-text: var(--drop-accent-text, #ffffff);
    --_surface: var(--drop-surface, #ffffff);
    --_text: var(--drop-text, #111114);
    --_muted: var(--drop-muted, #6b6b76);
    --_danger: var(--drop-danger, #c8102e);
    --_success: var(--drop-success, #0a7d4b);
    --_warning: var(--drop-warning, #b45309);
    --_radius: var(--drop-radius, 14px);
    --_space: var(--drop-space, 16px);
    --_line: color-mix(in srgb, var(--_muted) 22%, transparent);
    --_subtle: color-mix(in srgb, var(--_muted) 9%, var(--_surface));
    --_speed: 180ms;

    /* No fallback: without --drop-font the declaration is invalid at computed-value time, so the host inherits the page's font. */
    font-family: var(--drop-font);
    color: var(--_text);
    -webkit-font-smoothing: antialiased;
    box-sizing: border-box;
    /* Typography a site sets on body would leak into the shadow tree; only its font family is meant to. */
    text-transform: none;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    white-space: normal;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--drop-accent, #f5f5f7);
      --_accent-text: var(--drop-accent-text, #111114);
      --_surface: var(--drop-surface, #17171a);
      --_text: var(--drop-text, #f5f5f7);
      --_muted: var(--drop-muted, #a1a1aa);
      --_danger: var(--drop-danger, #ff6b7f);
      --_success: var(--drop-success, #3ddc97);
      --_warning: var(--drop-warning, #fbbf24);
    }
  }

  @media (prefers-reduced-motion: reduce) {
    :host {
      --_speed: 0ms;
    }
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  button {
    font: inherit;
    color: inherit;
  }

  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  /* The one pulse (loading digits, skeletons, the live dot); --_pulse is how far it fades. */
  @keyframes pulse {
    50% {
      opacity: var(--_pulse, 0.45);
    }
  }
`;
