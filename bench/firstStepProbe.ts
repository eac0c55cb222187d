/**
 * An init script for the app's page that measures "navigation → first rendered step" from
 * inside the page, on the page's own clock (performance.now() counts from navigation start):
 * it clicks the start button the moment it is enabled (an instant user, so no test-driver
 * polling is timed), notes when the first step appears in the DOM, and takes the next
 * animation frame as the moment it is painted. Kept as plain JavaScript text: Playwright runs
 * it in the page before any of the app's scripts.
 */
export interface FirstStepTimes {
  /** The start button became enabled and was clicked (the model is loaded). */
  clickMs: number | null;
  /** The first step element was inserted. */
  domStepMs: number | null;
  /** The animation frame after that insertion: the step is on screen. */
  firstStepMs: number | null;
  /**
   * Main-thread tasks over 50 ms (PerformanceObserver 'longtask', wall clock) that started
   * before the first step was on screen: their durations, ms.
   */
  longTasksMs: number[];
}

export const PROBE_GLOBAL = '__unmaskFirstStep';

export interface FirstStepProbeOptions {
  /** Accessible name (aria-label, else text) of the button that starts a generation. */
  startButton: string;
  /** CSS selector of the element the button is inside (the app also has a "Generate" tab). */
  startScope: string;
  /** CSS selector that matches once the first step is shown. */
  stepSelector: string;
}

export function firstStepProbeScript(options: FirstStepProbeOptions): string {
  return `(() => {
  const cfg = ${JSON.stringify(options)};
  const probe = { clickMs: null, domStepMs: null, firstStepMs: null, longTasksMs: [] };
  window[${JSON.stringify(PROBE_GLOBAL)}] = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (probe.firstStepMs === null) probe.longTasksMs.push(e.duration);
    }
  }).observe({ type: 'longtask', buffered: true });
  const label = (b) => (b.getAttribute('aria-label') || b.textContent || '').trim();
  const check = () => {
    if (probe.clickMs === null) {
      for (const b of document.querySelectorAll(cfg.startScope + ' button')) {
        if (label(b) === cfg.startButton && !b.disabled) {
          probe.clickMs = performance.now();
          b.click();
          break;
        }
      }
    }
    if (probe.domStepMs === null && document.querySelector(cfg.stepSelector)) {
      probe.domStepMs = performance.now();
      requestAnimationFrame(() => {
        probe.firstStepMs = performance.now();
        observer.disconnect();
      });
    }
  };
  const observer = new MutationObserver(check);
  // Every attribute: a step may be shown by an attribute change (e.g. aria-current).
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})();`;
}
