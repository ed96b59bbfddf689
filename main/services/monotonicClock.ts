import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { MonotonicReading } from '../../core/purgeClock';

/**
 * The monotonic clock the offline purge counts on (core/purgeClock.ts), named by the boot it
 * belongs to. process.hrtime is CLOCK_MONOTONIC on Linux: comparable across app restarts within
 * one boot, so time the app was closed but the machine on is proven too. Elsewhere (no boot id)
 * each process is its own epoch: nothing is credited across restarts, which only ever delays a purge.
 */
export function hostMonotonic(): () => MonotonicReading {
  let epoch = `process-${randomUUID()}`;
  try {
    const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(bootId)) epoch = `boot-${bootId}`;
  } catch {
    // Not Linux, or no /proc: per-process epoch (conservative).
  }
  return () => ({ epoch, ms: Number(process.hrtime.bigint() / 1_000_000n) });
}
