/**
 * The `css` tag of every stylesheet here: Lit's `css` without interpolation.
 * None of our stylesheets interpolates, and Lit's tag carries the code and
 * the error text for it in the script-tag bundle. The text is our own
 * literal, so `unsafeCSS` (which trusts its input) is safe here; a template
 * with a `${…}` does not type-check.
 */
import { unsafeCSS, type CSSResult } from 'lit';

export const css = (strings: TemplateStringsArray): CSSResult => unsafeCSS(strings[0]);
