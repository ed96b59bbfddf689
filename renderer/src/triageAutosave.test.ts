import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Result, type TriageView } from '../../contract';
import { createSaver, retryDelayMs, saveStatusText, type SaveStatus } from './triageAutosave';
import { aView } from './triageFixture';

type Pending = { value: string; resolve: (r: Result<TriageView>) => void };

function harness() {
  const requests: Pending[] = [];
  const statuses: SaveStatus[] = [];
  const saved: TriageView[] = [];
  const saver = createSaver<string>({
    save: (value) => new Promise((resolve) => requests.push({ value, resolve })),
    onStatus: (s) => statuses.push(s),
    onSaved: (v) => saved.push(v),
    savedAtOf: (v) => v.updatedAt,
    delayMs: 400,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  });
  const ok = (at: string): Result<TriageView> => ({ ok: true, value: aView({ updatedAt: at }) });
  return { requests, statuses, saved, saver, ok, last: () => statuses[statuses.length - 1] };
}

describe('save as entered', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a pause in typing, then sends only the latest value', async () => {
    const h = harness();
    h.saver.change('1');
    h.saver.change('12');
    expect(h.last()).toEqual({ kind: 'saving' });
    await vi.advanceTimersByTimeAsync(399);
    expect(h.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.requests.map((r) => r.value)).toEqual(['12']);
    h.requests[0]?.resolve(h.ok('2025-03-03T10:42:13Z'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.last()).toEqual({ kind: 'saved', savedAt: '2025-03-03T10:42:13Z' });
  });

  it('never says "Saved" for an answer that typing has overtaken', async () => {
    const h = harness();
    h.saver.change('1');
    await vi.advanceTimersByTimeAsync(400);
    h.saver.change('18');
    h.requests[0]?.resolve(h.ok('2025-03-03T10:42:00Z'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.last()).toEqual({ kind: 'saving' });
    await vi.advanceTimersByTimeAsync(400);
    expect(h.requests.map((r) => r.value)).toEqual(['1', '18']);
    h.requests[1]?.resolve(h.ok('2025-03-03T10:42:01Z'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.last()).toEqual({ kind: 'saved', savedAt: '2025-03-03T10:42:01Z' });
  });

  it('says why a save failed, keeps trying, and flush sends at once', async () => {
    const h = harness();
    h.saver.change('22');
    const flushed = h.saver.flush();
    expect(h.requests).toHaveLength(1);
    h.requests[0]?.resolve({ ok: false, error: { code: 'offline', message: 'OnScene cannot reach its service' } });
    expect(await flushed).toBe(false);
    expect(h.last()).toEqual({ kind: 'failed', reason: 'OnScene cannot reach its service' });
    expect(h.saver.isPending()).toBe(true);
    await vi.advanceTimersByTimeAsync(retryDelayMs(1));
    expect(h.requests.map((r) => r.value)).toEqual(['22', '22']);
    h.requests[1]?.resolve(h.ok('2025-03-03T10:43:00Z'));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.saver.isPending()).toBe(false);
    expect(h.saved).toHaveLength(1);
  });

  it('still sends an unsaved change when the screen goes away', async () => {
    const h = harness();
    h.saver.change('30');
    h.saver.dispose();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.requests.map((r) => r.value)).toEqual(['30']);
  });

  it('words the status honestly and backs off up to 30 seconds', () => {
    expect(saveStatusText({ kind: 'saving' })).toBe('Saving…');
    expect(saveStatusText({ kind: 'saved', savedAt: '2025-03-03T10:42:13Z' }, 'UTC')).toBe('Saved at 10:42:13');
    expect(saveStatusText({ kind: 'failed', reason: 'the device store is busy' })).toBe('Not saved: the device store is busy — your entries are still on screen, retrying');
    expect([1, 2, 3, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 30000]);
  });
});
