/**
 * Reads the elements out of `custom-elements.json` (written by
 * `cem analyze` from each element's class JSDoc). Everything generated from
 * the manifest (README tables, JSX types, VS Code custom data) starts here,
 * so a token, part or event is written down once: in the element's JSDoc.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

interface Described {
  name: string;
  description?: string;
  summary?: string;
}
export interface Attribute extends Described {
  fieldName?: string;
  /** Set on the attributes every element has from its base class (`backend`, `drop`, `state`). */
  inheritedFrom?: { name: string };
  type?: { text: string };
  default?: string;
}
export interface ElementEvent extends Described {
  type?: { text: string };
}
export interface CssProperty extends Described {
  default?: string;
  syntax?: string;
}

export interface ElementInfo {
  tagName: string;
  className: string;
  /** Module path of the class in the npm build, relative to `dist/npm`, e.g. `./elements/x/x.js`. */
  npmModule: string;
  summary: string;
  description: string;
  attributes: Attribute[];
  events: ElementEvent[];
  cssProperties: CssProperty[];
  cssParts: Described[];
  slots: Described[];
}

interface Declaration extends Described {
  kind: string;
  customElement?: boolean;
  tagName?: string;
  attributes?: Attribute[];
  events?: ElementEvent[];
  cssProperties?: CssProperty[];
  cssParts?: Described[];
  slots?: Described[];
}
interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}

/** The custom elements in the manifest, sorted by tag name. */
export function readElements(file = `${root}custom-elements.json`): ElementInfo[] {
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  const elements: ElementInfo[] = [];
  for (const mod of manifest.modules) {
    for (const d of mod.declarations ?? []) {
      if (!d.customElement || !d.tagName) continue;
      elements.push({
        tagName: d.tagName,
        className: d.name,
        npmModule: './' + mod.path.replace(/^src\//, '').replace(/\.ts$/, '.js'),
        summary: oneLine(d.summary ?? ''),
        description: d.description ?? '',
        // The shared attributes (from the base element) first, as a reader expects `backend` and `drop` to lead.
        attributes: (d.attributes ?? []).filter((a) => a.name).sort((a, b) => Number(!a.inheritedFrom) - Number(!b.inheritedFrom)),
        events: (d.events ?? []).filter((e) => e.name),
        cssProperties: d.cssProperties ?? [],
        cssParts: d.cssParts ?? [],
        slots: d.slots ?? [],
      });
    }
  }
  return elements.sort((a, b) => a.tagName.localeCompare(b.tagName));
}

/** JSDoc text may wrap; tables and editor hints want one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** An attribute's value type as a site owner types it: `boolean`, `number`, string literals, or `string`. */
export function attributeValueType(attribute: Attribute): string {
  const text = (attribute.type?.text ?? 'string').replace(/\s*\|\s*(undefined|null)\b/g, '').trim();
  if (text === 'boolean' || text === 'number') return text;
  if (/^('[^']*'|"[^"]*")(\s*\|\s*('[^']*'|"[^"]*"))*$/.test(text)) return text;
  return 'string';
}

/** String-literal values of an attribute (for editor completion), or none. */
export function attributeValues(attribute: Attribute): string[] {
  return [...attributeValueType(attribute).matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]);
}
