/** An NHS error summary that stays true: fixed problems leave it, and never come back until the next try. */
import { useEffect, useState } from 'react';
import { openItems, type SummaryItem } from './triageChecks';

export type Summary = Readonly<{
  /** Changes on every try, so the summary is focused and announced again (key it by this). */
  attempt: number;
  items: readonly SummaryItem[];
  say: (items: readonly SummaryItem[]) => void;
}>;

export function useSummary(currentMessages: readonly string[]): Summary {
  const [state, setState] = useState<Readonly<{ attempt: number; items: readonly SummaryItem[] }>>({ attempt: 0, items: [] });
  const items = openItems(state.items, currentMessages);
  // Forget what was fixed, so typing past a valid value ("10" on the way to "100") cannot bring
  // a closed summary back and pull focus away from the field.
  useEffect(() => {
    if (items.length < state.items.length) setState((s) => ({ attempt: s.attempt, items }));
  });
  return { attempt: state.attempt, items, say: (next) => setState((s) => ({ attempt: s.attempt + 1, items: next })) };
}
