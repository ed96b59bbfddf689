import { type MouseEvent } from 'react';
import { useFocusOnMount } from './hooks';

export type ErrorItem = Readonly<{ text: string; fieldId?: string }>;

/**
 * NHS error summary: announced (role=alert) and focused when it appears, each message linking to
 * its field. Messages are rendered as text.
 */
export function ErrorSummary({ errors, title = 'There is a problem' }: Readonly<{ errors: readonly ErrorItem[]; title?: string }>) {
  const ref = useFocusOnMount<HTMLDivElement>();
  const focusField = (event: MouseEvent<HTMLAnchorElement>, fieldId: string) => {
    event.preventDefault();
    document.getElementById(fieldId)?.focus();
  };
  return (
    <div className="nhsuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="nhsuk-error-summary__heading">{title}</h2>
        <div className="nhsuk-error-summary__body">
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {errors.map((error) => (
              <li key={`${error.fieldId ?? ''}:${error.text}`}>
                {error.fieldId ? (
                  <a href={`#${error.fieldId}`} onClick={(event) => focusField(event, error.fieldId ?? '')}>
                    {error.text}
                  </a>
                ) : (
                  <span className="app-error-text">{error.text}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
