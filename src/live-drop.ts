/**
 * The script-tag entry:
 *   <script type="module" src=".../live-drop.js" data-backend="https://…"></script>
 * `data-backend`, `data-lang` and `data-currency` on that tag become the
 * page defaults, as if the page had called `configure()`.
 */
import { configure } from './core/config.js';

export * from './index.js';

const scripts = [...document.querySelectorAll<HTMLScriptElement>('script[type=module][src]')];
const own = scripts.find((s) => s.src === import.meta.url) ?? document.querySelector<HTMLScriptElement>('script[data-backend]');
if (own) {
  const { backend, lang, currency } = own.dataset;
  configure({ ...(backend && { backend }), ...(lang && { lang }), ...(currency && { currency }) });
}
