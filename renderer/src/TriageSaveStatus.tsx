import { saveStatusText, type SaveStatus } from './triageAutosave';

/**
 * The honest per-form status: "Saving…", "Saved at 10:42:13", or why it is not saved (the entries
 * stay on screen and the save is retried; the crew can also try at once).
 */
export function TriageSaveStatus({ status, onRetry }: Readonly<{ status: SaveStatus; onRetry: () => void }>) {
  return (
    <div className={`app-save-status app-save-status--${status.kind}`}>
      <p className="app-save-status__text" role="status">
        {saveStatusText(status)}
      </p>
      {status.kind === 'failed' ? (
        <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-inline" onClick={onRetry}>
          Try saving again now
        </button>
      ) : null}
    </div>
  );
}
