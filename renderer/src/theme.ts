/** Day/night theme preference, persisted per device (localStorage) and applied as a class on <html>. */

export type Theme = 'day' | 'night';

export const THEME_KEY = 'onscene.theme';
export const NIGHT_CLASS = 'onscene-night';

type StorageLike = Readonly<{ getItem(key: string): string | null; setItem(key: string, value: string): void }>;

/** Reads the saved theme; storage that is missing or blocked means day. */
export function loadTheme(storage: StorageLike | undefined): Theme {
  try {
    return storage?.getItem(THEME_KEY) === 'night' ? 'night' : 'day';
  } catch {
    return 'day';
  }
}

/** Saves the theme; failing to save is not worth interrupting a crew for. */
export function saveTheme(storage: StorageLike | undefined, theme: Theme): void {
  try {
    storage?.setItem(THEME_KEY, theme);
  } catch {
    // Storage blocked or full: the theme still applies for this session.
  }
}

export function applyTheme(root: Readonly<{ classList: DOMTokenList }>, theme: Theme): void {
  root.classList.toggle(NIGHT_CLASS, theme === 'night');
}
