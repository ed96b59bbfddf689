/**
 * How the record and incidents screens reach triage without knowing the App's screens: App
 * provides this once; TriageEntry and the incidents screen's button use it.
 */
import { createContext, useContext } from 'react';

/** Where a triage screen was opened from, so "Back" goes there. */
export type TriageOrigin = Readonly<{ patientId: string; incidentId: string; patientName: string }> | null;

export type TriageRoute =
  | Readonly<{ kind: 'unidentified' }>
  | Readonly<{ kind: 'episode'; triageId: string; origin: TriageOrigin }>;

export type TriageNav = Readonly<{
  openEpisode: (triageId: string, origin: TriageOrigin) => void;
  startUnidentified: () => void;
}>;

export const TriageNavContext = createContext<TriageNav | null>(null);

export function useTriageNav(): TriageNav {
  const nav = useContext(TriageNavContext);
  if (!nav) throw new Error('TriageNavContext is missing: App provides it.');
  return nav;
}
