/**
 * Runs axe-core on an element in the real page. axe ships as a classic
 * script, so it is loaded once with a script tag from node_modules.
 */
import { expect } from '@open-wc/testing';

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary: string }[] }[];
}
declare global {
  interface Window {
    axe?: { run(context: Element, options?: object): Promise<AxeResult> };
  }
}

let loading: Promise<void> | undefined;
function loadAxe(): Promise<void> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('could not load axe-core'));
    document.head.append(script);
  });
  return loading;
}

/** Fails with every violation axe finds in `element` (shadow DOM included). */
export async function expectNoAxeViolations(element: Element, what: string): Promise<void> {
  await loadAxe();
  // Judge the settled look, not a frame of an entrance animation.
  const finite = (element.shadowRoot ?? element).getAnimations?.({ subtree: true }) ?? [];
  await Promise.all(finite.filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => {})));
  const { violations } = await window.axe!.run(element, { resultTypes: ['violations'] });
  const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  expect(report, `axe violations when ${what}`).to.deep.equal([]);
}
