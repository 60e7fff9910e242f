/**
 * The script-tag entry: `<script type="module" src=".../live-drop.js" data-backend="https://…">`.
 */
export * from './index.js';
