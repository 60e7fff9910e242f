/**
 * The build's css`` minifier (scripts/minify-lit-css.ts): the shortest form
 * of each selector and value, never a change of meaning. The browser tests
 * run the sources unminified; test/e2e runs the minified bundle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCssText, minifyLitCss, privatePropertyRenames } from '../../scripts/minify-lit-css.js';

describe('css template minifier', () => {
  it('writes selectors and values in their shortest form', () => {
    const css = `
      /* a comment */
      :host([state='locked']) [part~='image'],
      .a > .b {
        opacity: 0.8;
        color: #ffffff;
        box-shadow: 0 1px 2px rgb(0 0 0 / 0.04), 0 8px 24px -12px rgb(0 0 0 / 0.12);
        width: calc(var(--x) * 0.5) !important;
      }
      @media (prefers-reduced-motion: reduce) {
        .a { animation: none; }
      }
      @keyframes spin { from { opacity: 0; } to { opacity: 1; } }
    `;
    assert.equal(
      minifyCssText(css),
      ':host([state=locked]) [part~=image],.a>.b{opacity:.8;color:#fff;box-shadow:0 1px 2px rgb(0 0 0/.04),0 8px 24px -12px rgb(0 0 0/.12);width:calc(var(--x)*.5)!important}' +
        '@media (prefers-reduced-motion:reduce){.a{animation:none}}@keyframes spin{0%{opacity:0}to{opacity:1}}',
    );
  });

  it('keeps public custom property values, strings and urls as written', () => {
    assert.equal(
      minifyCssText(`:host { --drop-font: Inter, system-ui; } .a::before { content: 'a , b  0.5'; background: url(x,0.5.png); }`),
      ":host{--drop-font:Inter, system-ui}.a::before{content:'a , b  0.5';background:url(x,0.5.png)}",
    );
  });

  it('keeps an attribute value quoted when it is not an identifier', () => {
    assert.equal(minifyCssText(`[aria-disabled='true'] {} [data-x='1a'] { color: red; }`), "[data-x='1a']{color:red}");
    assert.equal(minifyCssText(`[aria-disabled='true'] { color: red; }`), '[aria-disabled=true]{color:red}');
  });

  it('only removes comments and whitespace in a template with interpolations, keeping a space beside them', () => {
    const out = minifyLitCss('const s = css`:host {\n  margin: 0.5rem ${unsafeCSS(x)} 0;\n}`;', 'x.ts')!;
    assert.equal(out, 'const s = css`:host{margin:0.5rem ${unsafeCSS(x)} 0}`;');
  });

  it('gives private custom properties one short name across every module, except names used outside css', () => {
    const a = 'const a = css`:host { --_accent: red; --_surface: white; color: var(--_accent); }`;';
    const b = 'const b = css`.x { background: var(--_surface); }`; el.style.setProperty("--_line", "1px");';
    const c = 'const c = css`.y { border: var(--_line); }`;';
    const renames = privatePropertyRenames([a, b, c]);
    assert.deepEqual(
      [...renames],
      [
        ['--_accent', '--_a'],
        ['--_surface', '--_b'],
      ],
    );
    assert.equal(minifyLitCss(a, 'a.ts', renames), 'const a = css`:host{--_a:red;--_b:#fff;color:var(--_a)}`;'.replace('#fff', 'white'));
    assert.equal(minifyLitCss(c, 'c.ts', renames), 'const c = css`.y{border:var(--_line)}`;');
  });
});
