/**
 * An init script for the app's page that measures "navigation → something on screen" from
 * inside the page, on the page's own clock (performance.now() counts from navigation start):
 * it clicks the start button the moment it is enabled (an instant user, so no test-driver
 * polling is timed), notes when each watched selector first matches in the DOM, and takes the
 * next animation frame as the moment it is painted. Two moments are watched: the first step of
 * the generation it starts, and the first call of the recorded arrival run (the run a newcomer
 * sees play before the model has loaded). Kept as plain JavaScript text: Playwright runs it in
 * the page before any of the app's scripts.
 */

/** When a watched selector first matched, and the animation frame after (it is on screen). */
export interface ProbeMoment {
  domMs: number | null;
  paintedMs: number | null;
}

/** A main-thread task over 50 ms (PerformanceObserver 'longtask', wall clock). */
export interface LongTask {
  startMs: number;
  durationMs: number;
}

export interface FirstStepTimes {
  /** The start button was first seen enabled (the model is loaded). */
  readyMs: number | null;
  /** When it was clicked (at readyMs); null when the probe clicks nothing. */
  clickMs: number | null;
  /** The first step of the generation started by the click. */
  firstStep: ProbeMoment;
  /** The recorded arrival run is in the page (frame 0: the masked window). */
  arrivalShown: ProbeMoment;
  /** The recorded arrival run shows frame ≥ 1: it animates. */
  arrival: ProbeMoment;
  longTasks: LongTask[];
}

export const PROBE_GLOBAL = '__unmaskFirstStep';

export interface FirstStepProbeOptions {
  /** Accessible name (aria-label, else text) of the button that starts a generation. */
  startButton: string;
  /** Click it the moment it is enabled; false: only note when (a newcomer's arrival). */
  click: boolean;
  /** CSS selector of the element the button is inside (the app also has a "Generate" tab). */
  startScope: string;
  /** CSS selector that matches once the first step is shown. */
  stepSelector: string;
  /** CSS selector that matches once the recorded arrival run is in the page. */
  arrivalShownSelector: string;
  /** CSS selector that matches once the recorded arrival run shows its first call. */
  arrivalSelector: string;
}

/**
 * The run's frame readout leaves "start" while a run of this source is shown in the Generate
 * view (`RunPanel`'s data-source, `Transport`'s data-frame): its first call is on screen. The
 * strip and the history grid change in the same React commit.
 */
export function firstCallSelector(source: 'model' | 'recorded'): string {
  return (
    `section[aria-label="Generate"]:has(section.run[data-source="${source}"]) ` +
    'output[aria-label="Frame"]:not([data-frame="0"])'
  );
}

export const DEFAULT_PROBE_SELECTORS = {
  stepSelector: firstCallSelector('model'),
  arrivalShownSelector: 'section.run[data-source="recorded"]',
  arrivalSelector: firstCallSelector('recorded'),
} as const;

/**
 * The hash of a newcomer's URL: nothing but what differs from the app's defaults (a bare URL
 * when nothing does), then any extra settings.
 */
export function newcomerHash(
  wanted: { ep: string; model: string },
  defaults: { ep: string; model: string },
  extra: string,
): string {
  const parts = [
    wanted.ep !== defaults.ep ? `ep=${wanted.ep}` : '',
    wanted.model !== defaults.model ? `model=${encodeURIComponent(wanted.model)}` : '',
    extra.replace(/^#/, ''),
  ];
  return parts.filter(Boolean).join('&');
}

/** Wall-clock long tasks that started before a moment (ms on the page's clock), rounded. */
export function longTasksBefore(tasks: readonly LongTask[], momentMs: number): number[] {
  return tasks.filter((t) => t.startMs < momentMs).map((t) => Math.round(t.durationMs));
}

export function firstStepProbeScript(options: FirstStepProbeOptions): string {
  return `(() => {
  const cfg = ${JSON.stringify(options)};
  const moment = () => ({ domMs: null, paintedMs: null });
  const probe = {
    readyMs: null,
    clickMs: null,
    firstStep: moment(),
    arrivalShown: moment(),
    arrival: moment(),
    longTasks: [],
  };
  window[${JSON.stringify(PROBE_GLOBAL)}] = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      probe.longTasks.push({ startMs: e.startTime, durationMs: e.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  const label = (b) => (b.getAttribute('aria-label') || b.textContent || '').trim();
  const watched = [
    [probe.firstStep, cfg.stepSelector],
    [probe.arrivalShown, cfg.arrivalShownSelector],
    [probe.arrival, cfg.arrivalSelector],
  ];
  const check = () => {
    if (probe.readyMs === null) {
      for (const b of document.querySelectorAll(cfg.startScope + ' button')) {
        if (label(b) === cfg.startButton && !b.disabled) {
          probe.readyMs = performance.now();
          if (cfg.click) {
            probe.clickMs = probe.readyMs;
            b.click();
          }
          break;
        }
      }
    }
    let pending = false;
    for (const [m, selector] of watched) {
      if (m.domMs === null && document.querySelector(selector)) {
        m.domMs = performance.now();
        requestAnimationFrame(() => {
          m.paintedMs = performance.now();
        });
      }
      if (m.domMs === null) pending = true;
    }
    if (!pending && probe.readyMs !== null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  // Every attribute: a step is shown by an attribute change (the frame readout's data-frame).
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})();`;
}
