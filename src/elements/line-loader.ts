/**
 * Loads `<drop-line>`, the waiting line's lazy chunk. A module of its own
 * that the card and the countdown import (not the base element, which the
 * line's element extends: that would be an import cycle).
 */
export const loadLine = (): Promise<unknown> => import('./drop-line/drop-line.js');
