import { useEffect, useState } from 'react';
import { type UpdateStatus } from '../../contract';
import { useClient } from './ClientContext';
import { shouldOfferRestart } from './updateNotice';

type Props = Readonly<{ screen: string; isLocked: boolean }>;

/**
 * Issue #16: a downloaded update is announced and installed only when the user chooses
 * "Restart to update", and only on a screen where no record or triage is open (updateNotice.ts).
 * Main never restarts by itself. The web shell answers "off", so nothing shows there.
 */
export function UpdateNotice({ screen, isLocked }: Props) {
  const client = useClient();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isRestarting, setIsRestarting] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    void client.call('app.updateStatus', {}).then((r) => isCurrent && r.ok && setStatus(r.value));
    const off = client.onEvent((event) => {
      if (event.name === 'app.updateChanged') setStatus(event.payload);
    });
    return () => {
      isCurrent = false;
      off();
    };
  }, [client]);

  if (!shouldOfferRestart(status, screen, isLocked, dismissed) || !status) return null;

  const restart = async () => {
    setIsRestarting(true);
    setError(null);
    const result = await client.call('app.restartToUpdate', {});
    if (!result.ok) {
      setIsRestarting(false);
      setError(`${result.error.message} OnScene carries on as it is.`);
    }
  };

  return (
    <section className="nhsuk-inset-text app-update-notice" aria-labelledby="update-notice-heading">
      <h2 className="nhsuk-heading-s" id="update-notice-heading">
        A new version of OnScene is ready
      </h2>
      <p>{status.message}</p>
      {error ? (
        <p className="nhsuk-error-message" role="alert">
          {error}
        </p>
      ) : null}
      <div className="nhsuk-button-group">
        <button type="button" className="nhsuk-button" disabled={isRestarting} onClick={() => void restart()}>
          {isRestarting ? 'Restarting…' : 'Restart to update'}
        </button>
        <button type="button" className="nhsuk-button nhsuk-button--secondary" disabled={isRestarting} onClick={() => setDismissed(status.version)}>
          Not now
        </button>
      </div>
    </section>
  );
}
