/** `import 'live-drop/drop-countdown.js'` registers `<drop-countdown>` and nothing else. */
export { DropCountdown, type CountdownState } from './elements/drop-countdown/drop-countdown.js';
