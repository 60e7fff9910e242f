/**
 * The script-tag entry:
 *   <script type="module" src=".../live-drop.js" data-backend="https://…"></script>
 * `data-backend`, `data-lang` and `data-currency` on that tag become the
 * page defaults, as if the page had called `configure()`.
 * The countdown and the card are in this module; the player is a lazy chunk
 * (see player-loader.ts), and hls.js a lazy chunk of that.
 */
import { configure } from './core/config.js';
import './elements/drop-countdown/drop-countdown.js';
import './elements/drop-product-card/drop-product-card.js';

export { loadPlayer } from './player-loader.js';
export { DropCountdown } from './elements/drop-countdown/drop-countdown.js';
export { DropProductCard } from './elements/drop-product-card/drop-product-card.js';
export { configure };

const own =
  [...document.scripts].find((s) => s.src === import.meta.url) ?? document.querySelector<HTMLScriptElement>('script[data-backend]');
if (own) {
  const { backend, lang, currency } = own.dataset;
  configure({ ...(backend && { backend }), ...(lang && { lang }), ...(currency && { currency }) });
}
