/**
 * live-drop for applications: importing this module registers the elements.
 * Site owners use `dist/live-drop.js` through a script tag instead.
 */
export * from './protocol/types.js';
export { ProtocolError } from './protocol/parse.js';
