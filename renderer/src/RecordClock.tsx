import { createContext, useContext, type ReactNode } from 'react';
import { type Connection } from './recordFreshness';

/** The clock and link state every item's freshness line reads, given once by RecordBody. */
export type RecordClock = Readonly<{ now: number; staleAfterMs: number; connection: Connection }>;

const DEFAULT_CLOCK: RecordClock = { now: 0, staleAfterMs: 12 * 3_600_000, connection: { isOffline: false, lastContactAt: null } };
const RecordClockContext = createContext<RecordClock>(DEFAULT_CLOCK);

export function RecordClockProvider({ clock, children }: Readonly<{ clock: RecordClock; children: ReactNode }>) {
  return <RecordClockContext.Provider value={clock}>{children}</RecordClockContext.Provider>;
}

export const useRecordClock = (): RecordClock => useContext(RecordClockContext);
