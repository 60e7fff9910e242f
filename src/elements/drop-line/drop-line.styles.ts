import { css } from '../../core/css.js';

export const lineStyles = css`
  :host {
    display: block;
  }

  [part~='base'] {
    display: grid;
    gap: calc(var(--_space) * 0.5);
    padding: calc(var(--_space) * 0.75);
    border-radius: var(--_radius);
    background: var(--_subtle);
    border: 1px solid var(--_line);
    font-size: 0.875rem;
    line-height: 1.4;
  }

  [part='title'] {
    font-size: 0.75rem;
    font-weight: 600;
    letter-spacing: 0.12em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  [part='status'] {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  [part='status'].turn {
    color: var(--_success);
  }

  [part='status'].missed {
    color: var(--_danger);
  }

  [part='progress'] {
    height: 6px;
    border-radius: 3px;
    background: var(--_line);
    overflow: hidden;
  }

  [part='progress'] > span {
    display: block;
    height: 100%;
    background: var(--_accent);
    transition: width 600ms ease-out;
  }

  [part='commitment'] {
    color: var(--_muted);
    font-size: 0.75rem;
    overflow-wrap: anywhere;
  }

  [part='commitment'] code {
    font-family: ui-monospace, monospace;
  }

  [part='button'] {
    font: inherit;
    font-weight: 600;
    min-height: 44px;
    padding: 0 calc(var(--_space) * 1.25);
    border: 0;
    border-radius: calc(var(--_radius) * 0.75);
    background: var(--_accent);
    color: var(--_accent-text);
    cursor: pointer;
  }

  [part='button']:disabled {
    opacity: 0.6;
    cursor: progress;
  }

  [part='button']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .muted {
    color: var(--_muted);
  }

  @media (prefers-reduced-motion: reduce) {
    [part='progress'] > span {
      transition: none;
    }
  }
`;
