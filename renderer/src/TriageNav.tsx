export type TriagePart = 'observations' | 'trend' | 'disposition' | 'handover';

const PARTS: readonly (readonly [TriagePart, string])[] = [
  ['observations', 'Observations'],
  ['trend', 'Trend'],
  ['disposition', 'Disposition'],
  ['handover', 'ATMIST handover'],
];

/**
 * The triage steps, always in reach: large buttons, the current one marked for screen readers
 * (aria-current) and by more than colour (underline and weight).
 */
export function TriageNav({ part, onGo }: Readonly<{ part: TriagePart; onGo: (part: TriagePart) => void }>) {
  return (
    <nav className="app-triage-nav" aria-label="Triage steps">
      <ul className="app-triage-nav__list">
        {PARTS.map(([key, label]) => (
          <li key={key}>
            <button type="button" className="app-triage-nav__button" aria-current={part === key ? 'step' : undefined} onClick={() => onGo(key)}>
              {label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
