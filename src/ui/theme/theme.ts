/**
 * Light or dark: the person's choice (kept in localStorage) or, without one, the system's
 * preference, followed live. The resolved theme is written to <html data-theme>, which
 * tokens.css reads; index.html applies the same rule before the first paint so a dark page never
 * flashes light.
 */
import { useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
export type ThemeChoice = Theme | 'system';

/** The localStorage key; index.html's inline script reads the same one. */
export const THEME_KEY = 'unmask.theme';

const systemQuery = () =>
  typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

export function readThemeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system'; // storage blocked (private mode, sandboxed frame): follow the system
  }
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

const listeners = new Set<() => void>();
let current: Theme = 'light';

function apply() {
  const next = resolveTheme(readThemeChoice(), systemQuery()?.matches ?? false);
  document.documentElement.dataset.theme = next;
  if (next !== current) {
    current = next;
    listeners.forEach((l) => l());
  }
}

/** Call once at start: applies the theme and follows the system while no choice is stored. */
export function initTheme() {
  current = (document.documentElement.dataset.theme as Theme | undefined) ?? 'light';
  apply();
  systemQuery()?.addEventListener('change', apply);
}

/** The toggle: the other theme than the one shown, remembered across reloads. */
export function toggleTheme() {
  const next: Theme = current === 'dark' ? 'light' : 'dark';
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // Not remembered, but still applied below for this page.
  }
  document.documentElement.dataset.theme = next;
  current = next;
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The theme shown; components that draw to canvas re-draw when it changes. */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribe, () => current);
}

/** A design token's value (e.g. readToken('--mask-bg')), for canvas drawing. */
export function readToken(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
