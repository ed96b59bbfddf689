import { describe, expect, it } from 'vitest';
import { loadTheme, saveTheme, THEME_KEY } from './theme';

const memory = () => {
  const map = new Map<string, string>();
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
};

describe('theme preference', () => {
  it('round-trips night and defaults to day', () => {
    const storage = memory();
    expect(loadTheme(storage)).toBe('day');
    saveTheme(storage, 'night');
    expect(storage.map.get(THEME_KEY)).toBe('night');
    expect(loadTheme(storage)).toBe('night');
  });

  it('survives blocked storage', () => {
    const blocked = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('SecurityError');
      },
    };
    expect(loadTheme(blocked)).toBe('day');
    expect(() => saveTheme(blocked, 'night')).not.toThrow();
    expect(loadTheme(undefined)).toBe('day');
  });

  it('ignores unexpected stored values', () => {
    const storage = memory();
    storage.setItem(THEME_KEY, '<script>');
    expect(loadTheme(storage)).toBe('day');
  });
});
