/**
 * How every text is looked up, written once: a set of texts (the card's and
 * countdown's, the player's, the chat's, the line's) gives `textLookup()` its
 * built-in languages and gets back its lookup. A text in `lang` is the site's
 * override (`configure({ strings })`, the exact tag first, then the base
 * language), else the built-in text of the base language, else the English
 * one, with `{name}` placeholders filled in.
 */
import { $config, type LiveDropTexts } from '../core/config.js';

/** The base language of a BCP 47 tag: `de` for `de-AT`. */
export const baseLanguage = (lang: string) => lang.split('-')[0].toLowerCase();

export type TextParams = Record<string, string | number>;

/** A set of texts' lookup: its text `key` in `lang` (a BCP 47 tag). */
export type TextLookup<Key extends keyof LiveDropTexts> = (lang: string, key: Key, params?: TextParams) => string;

/**
 * The lookup of one set of texts, by base language (`en` is the fallback). The record is read on each call, so a
 * language pack added to it later (see strings.ts) is used from then on.
 */
export function textLookup<Texts extends Partial<LiveDropTexts>>(
  builtIn: Record<string, Texts>,
): TextLookup<keyof Texts & keyof LiveDropTexts> {
  return (lang, key, params = {}) => {
    const overrides = $config.get().strings ?? {};
    const base = baseLanguage(lang);
    const template = overrides[lang]?.[key] ?? overrides[base]?.[key] ?? (builtIn[base] ?? builtIn.en)[key]!;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
  };
}
