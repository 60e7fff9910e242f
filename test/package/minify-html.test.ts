/**
 * The build's html`` minifier (scripts/minify-lit-html.ts): it may only drop
 * whitespace the browser would collapse anyway, and must never touch
 * expressions or templates that are not Lit markup.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyHtmlText, minifyLitHtml } from '../../scripts/minify-lit-html.js';

describe('html template minifier', () => {
  it('turns every whitespace run with a line break into one space', () => {
    assert.equal(minifyHtmlText('<div>\n      <span>a</span>\n\n      <span>b</span>\n    </div>'), '<div> <span>a</span> <span>b</span> </div>');
    assert.equal(minifyHtmlText('<button\n  part="button"\n  type="button"\n>'), '<button part="button" type="button" >');
  });

  it('leaves whitespace without a line break as written', () => {
    assert.equal(minifyHtmlText('<span>a</span> <span>b</span>  c'), '<span>a</span> <span>b</span>  c');
  });

  it('rewrites html templates only, and keeps every expression intact', () => {
    const source = [
      'const a = html`<p>\n  ${x}\n  <b>${`keep\n  this`}</b>\n</p>`;',
      'const b = `plain\n  template`;',
      'const c = css`:host {\n  display: block;\n}`;',
    ].join('\n');
    const out = minifyLitHtml(source, 'x.ts')!;
    assert.equal(out.split('\n')[0], 'const a = html`<p> ${x} <b>${`keep');
    assert.ok(out.includes('  this`}</b> </p>`;'), 'a nested plain template keeps its text');
    assert.ok(out.includes('const b = `plain\n  template`;'));
    assert.ok(out.includes('css`:host {\n  display: block;\n}`'));
  });

  it('returns undefined for a module without html templates', () => {
    assert.equal(minifyLitHtml('export const x = `a\n  b`;', 'x.ts'), undefined);
  });
});
