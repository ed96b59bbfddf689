import { type TriageCheck } from '../../contract';

/**
 * The disposition checked against the resuscitation decision and care plans (from main):
 * warnings as warning callouts, information as inset text, warnings first. A polite live region,
 * so a warning that appears after a choice is heard.
 */
export function TriageChecks({ checks }: Readonly<{ checks: readonly TriageCheck[] }>) {
  const ordered = [...checks].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'warning' ? -1 : 1));
  return (
    <div className="app-checks" aria-live="polite">
      {ordered.map((check) =>
        check.severity === 'warning' ? (
          <div className="nhsuk-warning-callout app-check" key={`w:${check.text}`}>
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>Check before you go
              </span>
            </h2>
            <p>{check.text}</p>
          </div>
        ) : (
          <div className="nhsuk-inset-text app-check" key={`i:${check.text}`}>
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>{check.text}</p>
          </div>
        ),
      )}
    </div>
  );
}
