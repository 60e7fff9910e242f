/**
 * Build-time minification of the CSS inside Lit `css` tagged templates.
 * Lit ships styles as template strings, so the JS minifier keeps every
 * space and comment of them. This removes comments and the whitespace CSS
 * does not need and, for a template without interpolations (where it sees
 * the whole stylesheet), also writes each selector and value in its
 * shortest equivalent form: `0.5` as `.5`, `#ffffff` as `#fff`,
 * `[part='base']` as `[part=base]`, no space after commas or around `/`,
 * `>` and calc's `*`.
 *
 * Public custom properties (`--drop-accent: …` set for a child element)
 * keep their value as written, because the browser keeps custom property
 * values as written and a script may read them; our private `--_x`
 * properties are only read by our own `var()`s, so they are minified like
 * any value. Quoted strings are never changed. In a template with `${…}`
 * only comments and whitespace go, and the whitespace beside an
 * interpolation is kept (it may separate two values).
 *
 * The private properties also get short names in the build (`--_accent`
 * becomes `--_a`): the plugin reads every css`…` in src/ first, so a name
 * is the same in every module and chunk. A private name that src/ also
 * writes outside css`…` (a script setting it, say) keeps its name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { isSourceModule, rewriteTemplates, templatePieces } from './tagged-templates.js';

/** Quoted strings and unquoted `url(…)`s, which every step below leaves alone. */
const STRING = /('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|\burl\([^)'"]*\))/;

/** Applies `edit` to the text outside quoted strings and unquoted urls. */
function outsideStrings(text: string, edit: (code: string) => string): string {
  return text
    .split(STRING)
    .map((part, i) => (i % 2 ? part : edit(part)))
    .join('');
}

/** Removes comments and the whitespace around `{`, `}`, `;` and after `:` (raw source text, escapes untouched). */
function collapse(raw: string): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '/' && raw[i + 1] === '*') {
      const end = raw.indexOf('*/', i + 2);
      i = end < 0 ? raw.length : end + 2;
      out += ' '; // a comment separates tokens like whitespace does
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < raw.length && raw[j] !== c) j += raw[j] === '\\' ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return outsideStrings(out, (code) =>
    code
      .replace(/\s+/g, ' ')
      .replace(/ ?([{};]) ?/g, '$1')
      .replace(/: /g, ':')
      .replace(/;}/g, '}'),
  );
}

/** A selector (list): no space around `,` `>` `+` `~`, attribute values unquoted where they are identifiers. */
function minifySelector(selector: string): string {
  return outsideStrings(selector, (code) => code.replace(/ ?([,>+~]) ?/g, '$1')).replace(
    /(\[[-\w]+[~|^$*]?=)(['"])(-?[_a-zA-Z][-\w]*)\2\]/g,
    '$1$3]',
  );
}

/** A property value, or a media / container condition. */
function minifyValue(value: string): string {
  return outsideStrings(value, (code) =>
    code
      .replace(/ ?([,/*]) ?/g, '$1')
      .replace(/([(]) | (\))/g, '$1$2')
      .replace(/ !important/g, '!important')
      .replace(/(^-?|[^\w.#-]-?)0\.(\d)/g, '$1.$2')
      .replace(/#([\da-f])\1([\da-f])\2([\da-f])\3\b/gi, '#$1$2$3'),
  );
}

/** Finds the next `{`, `}` or `;` outside strings and parentheses, from `start`. */
function nextDelimiter(css: string, start: number): number {
  let depth = 0;
  for (let i = start; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      i++;
      while (i < css.length && css[i] !== c) i += css[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (c === '{' || c === '}' || c === ';')) return i;
  }
  return css.length;
}

type Context = 'rules' | 'declarations' | 'keyframes';

/**
 * Minifies a whole stylesheet that `collapse` has already gone over. Knows
 * rules, declarations, `@media`-like at-rules that hold rules and `@keyframes`;
 * the block of any other at-rule is copied as it is.
 */
function minifyStylesheet(css: string): string {
  let i = 0;
  /** Reads items until the `}` that closes the current block (or the end), returning them minified. */
  const block = (context: Context): string => {
    const items: string[] = [];
    while (i < css.length) {
      const end = nextDelimiter(css, i);
      const text = css.slice(i, end);
      const delimiter = css[end];
      i = end + 1;
      if (delimiter === '{') {
        if (text.startsWith('@')) {
          const name = /^@[-\w]+/.exec(text)![0];
          if (/^@(media|container|supports|layer)$/.test(name))
            items.push(`${name}${minifyValue(text.slice(name.length))}{${block('rules')}}`);
          else if (/^@(-webkit-)?keyframes$/.test(name)) items.push(`${text}{${block('keyframes')}}`);
          else items.push(`${text}{${verbatimBlock()}}`);
        } else if (context === 'keyframes') {
          items.push(`${text.replace(/\bfrom\b/g, '0%')}{${block('declarations')}}`);
        } else {
          const body = block('declarations');
          if (body) items.push(`${minifySelector(text)}{${body}}`);
        }
      } else {
        if (text) items.push(context === 'declarations' ? minifyDeclaration(text) : text);
        if (delimiter === '}' || delimiter === undefined) break;
      }
    }
    // A block ends with a rule, or with a declaration that needs no `;`.
    return items.reduce((all, item) => (all && !all.endsWith('}') ? `${all};${item}` : all + item), '');
  };
  /** Copies the rest of a block as it is, up to its closing `}`. */
  const verbatimBlock = (): string => {
    const start = i;
    let depth = 1;
    while (i < css.length && depth > 0) {
      const end = nextDelimiter(css, i);
      if (css[end] === '{') depth++;
      if (css[end] === '}') depth--;
      i = end + 1;
    }
    return css.slice(start, i - 1);
  };
  return block('rules');
}

function minifyDeclaration(declaration: string): string {
  const colon = declaration.indexOf(':');
  if (colon < 0) return declaration;
  const name = declaration.slice(0, colon);
  const value = declaration.slice(colon + 1);
  const asWritten = name.startsWith('--') && !name.startsWith('--_');
  return `${name}:${asWritten ? value : minifyValue(value)}`;
}

const PRIVATE_PROPERTY = /--_[-\w]+/g;

/**
 * Short names for the private custom properties of the css`…` templates of
 * `sources` (file texts): `--_a`, `--_b`, … in the order of the names, so
 * every build gives the same ones. Names that also occur outside css`…` are left out.
 */
export function privatePropertyRenames(sources: string[]): Map<string, string> {
  const inCss = new Set<string>();
  const elsewhere = new Set<string>();
  for (const code of sources) {
    let rest = code;
    for (const { start, end } of templatePieces(code, 'file.ts', 'css').reverse()) {
      for (const name of code.slice(start, end).match(PRIVATE_PROPERTY) ?? []) inCss.add(name);
      rest = rest.slice(0, start) + rest.slice(end);
    }
    for (const name of rest.match(PRIVATE_PROPERTY) ?? []) elsewhere.add(name);
  }
  const renames = new Map<string, string>();
  let n = 0;
  const shortName = () => {
    let name = '';
    for (let i = n++; ; i = Math.floor(i / 26) - 1) {
      name = String.fromCharCode(97 + (i % 26)) + name;
      if (i < 26) return `--_${name}`;
    }
  };
  for (const name of [...inCss].sort()) {
    if (elsewhere.has(name)) continue;
    let short = shortName();
    while (inCss.has(short) || elsewhere.has(short)) short = shortName();
    renames.set(name, short);
  }
  return renames;
}

/**
 * Minifies one static piece of a css template (raw source text, escapes untouched).
 * `first`/`last`: whether the piece starts/ends the template; when it is both,
 * the piece is the whole stylesheet. `renames`: short names of private custom properties.
 */
export function minifyCssText(raw: string, { first = true, last = true, renames = new Map<string, string>() } = {}): string {
  let result = outsideStrings(collapse(raw), (code) => code.replace(PRIVATE_PROPERTY, (name) => renames.get(name) ?? name));
  if (first && last) return minifyStylesheet(result.trim());
  // Beside an interpolation a space may separate two values: keep one there.
  if (first) result = result.replace(/^ /, '');
  if (last) result = result.replace(/ $/, '');
  return result;
}

/** Rewrites every css`…` template in a TypeScript/JavaScript module; undefined when there is none. */
export function minifyLitCss(code: string, fileName: string, renames?: Map<string, string>): string | undefined {
  return rewriteTemplates(code, fileName, 'css', (raw, { first, last }) => minifyCssText(raw, { first, last, renames }));
}

/** Every .ts file below `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

export function minifyLitCssPlugin(): Plugin {
  let root = process.cwd();
  let renames = new Map<string, string>();
  return {
    name: 'live-drop:minify-lit-css',
    apply: 'build',
    enforce: 'pre',
    configResolved(config) {
      root = config.root;
    },
    buildStart() {
      renames = privatePropertyRenames(sourceFiles(join(root, 'src')).map((f) => readFileSync(f, 'utf8')));
    },
    transform(code, id) {
      if (!isSourceModule(id)) return null;
      const result = minifyLitCss(code, id, renames);
      return result === undefined ? null : { code: result, map: null };
    },
  };
}
