/**
 * Build-time minification of the markup inside Lit `html` tagged templates,
 * the step Lit's docs recommend for production builds: the JS minifier keeps
 * template text as written, indentation and all. HTML renders a run of
 * whitespace as one space, so every run that contains a line break becomes a
 * single space: what the browser shows is unchanged (no template of ours uses
 * `<pre>` or `white-space: pre`), only the bytes go. Runs without a line break
 * are left alone, and so is everything beside a `${…}`.
 */
import type { Plugin } from 'vite';
import { isSourceModule, rewriteTemplates } from './tagged-templates.js';

/** Collapses every whitespace run with a line break in one static piece of an html template to a single space. */
export function minifyHtmlText(raw: string): string {
  return raw.replace(/[ \t]*(?:\r?\n[ \t]*)+/g, ' ');
}

/** Rewrites every html`…` template in a TypeScript/JavaScript module; undefined when there is none. */
export function minifyLitHtml(code: string, fileName: string): string | undefined {
  return rewriteTemplates(code, fileName, 'html', minifyHtmlText);
}

export function minifyLitHtmlPlugin(): Plugin {
  return {
    name: 'live-drop:minify-lit-html',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!isSourceModule(id)) return null;
      const result = minifyLitHtml(code, id);
      return result === undefined ? null : { code: result, map: null };
    },
  };
}
