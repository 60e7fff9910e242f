/**
 * Other viewers' reactions floating up over the video. A busy show sends
 * hundreds a second; the server aggregates them per interval and this layer
 * shows a few bubbles per batch, never more than `MAX_BUBBLES` at once, so
 * the DOM stays small however long the show runs. With reduced motion the
 * bubbles do not fly: the count beside the button is enough.
 */
const MAX_BUBBLES = 24;
const PER_BATCH = 6;
const EMOJI: Record<string, string> = { heart: '❤️', fire: '🔥', clap: '👏' };

export class FloatingReactions {
  constructor(private readonly layer: HTMLElement) {}

  /** Floats up to a handful of bubbles for a batch of counts by kind. */
  add(counts: Record<string, number>): void {
    if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    let budget = PER_BATCH;
    for (const [kind, count] of Object.entries(counts)) {
      for (let i = 0; i < Math.min(count, budget); i++) this.#bubble(kind, i * 120);
      budget -= Math.min(count, budget);
    }
  }

  #bubble(kind: string, delay: number): void {
    if (this.layer.childElementCount >= MAX_BUBBLES) return;
    const el = document.createElement('span');
    el.className = 'bubble';
    el.setAttribute('part', 'reaction');
    el.textContent = EMOJI[kind] ?? '❤️';
    const drift = (Math.random() - 0.5) * 60;
    const scale = 0.8 + Math.random() * 0.6;
    this.layer.append(el);
    const animation = el.animate(
      [
        { transform: `translate(0, 0) scale(${scale * 0.6})`, opacity: 0 },
        { transform: `translate(${drift * 0.3}px, -30px) scale(${scale})`, opacity: 1, offset: 0.15 },
        { transform: `translate(${drift}px, -220px) scale(${scale})`, opacity: 0 },
      ],
      { duration: 2200 + Math.random() * 800, delay, easing: 'cubic-bezier(.2,.6,.4,1)', fill: 'backwards' },
    );
    animation.onfinish = animation.oncancel = () => el.remove();
  }
}
