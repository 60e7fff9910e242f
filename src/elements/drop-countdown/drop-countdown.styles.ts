import { css } from '../../core/css.js';

export const countdownStyles = css`
  :host {
    display: inline-block;
  }

  .base {
    display: inline-flex;
    flex-direction: column;
    align-items: center;
    gap: calc(var(--_space) * 0.625);
  }

  .label {
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.14em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  .digits {
    display: flex;
    gap: calc(var(--_space) * 0.5);
  }

  .unit {
    display: flex;
    flex-direction: column;
    align-items: center;
    min-width: 4.25rem;
    padding: calc(var(--_space) * 0.75) calc(var(--_space) * 0.5) calc(var(--_space) * 0.625);
    border-radius: var(--_radius);
    background: var(--_subtle);
    border: 1px solid var(--_line);
  }

  .value {
    font-size: clamp(1.75rem, 6vw, 2.75rem);
    font-weight: 700;
    line-height: 1;
    letter-spacing: -0.02em;
    font-variant-numeric: tabular-nums;
  }

  .unit-label {
    margin-top: 0.4rem;
    font-size: 0.6875rem;
    font-weight: 500;
    letter-spacing: 0.08em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  :host([state='loading']) .value {
    color: var(--_muted);
    animation: pulse 1.2s ease-in-out infinite;
  }

  .live {
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.625rem 1.125rem;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_accent-text);
    font-weight: 700;
    font-size: 1rem;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    animation: pop calc(var(--_speed) * 2) ease-out;
  }

  .dot {
    width: 0.5rem;
    height: 0.5rem;
    border-radius: 50%;
    /* A recording-light red reads as "live" on any accent. */
    background: #ff3b5c;
    box-shadow: 0 0 0 0 rgb(255 59 92 / 0.6);
    animation: ping 1.6s ease-out infinite;
  }

  .error {
    font-size: 0.875rem;
    color: var(--_danger);
  }

  @media (max-width: 400px) {
    .unit {
      min-width: 3.5rem;
    }
  }

  @keyframes pop {
    from {
      transform: scale(0.92);
      opacity: 0;
    }
  }
  @keyframes ping {
    to {
      box-shadow: 0 0 0 0.5rem transparent;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
    }
  }
`;
