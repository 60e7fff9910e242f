/** `import 'live-drop/drop-product-card.js'` registers `<drop-product-card>` and nothing else. */
export { DropProductCard, type CardState } from './elements/drop-product-card/drop-product-card.js';
