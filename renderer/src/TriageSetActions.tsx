import { useState } from 'react';

type Props = Readonly<{
  number: number;
  isCorrecting: boolean;
  /** A set never recorded can be discarded (nothing of it has left the device). */
  isDraft: boolean;
  onDiscard: () => void;
}>;

/** "Record", and the ways out: cancel a correction, or discard an unrecorded set after a second, explicit step. */
export function TriageSetActions({ number, isCorrecting, isDraft, onDiscard }: Props) {
  const [isConfirming, setIsConfirming] = useState(false);
  return (
    <>
      <div className="nhsuk-button-group app-obs-actions">
        <button type="submit" className="nhsuk-button app-button-wide">
          {isCorrecting ? 'Record this correction' : 'Record this set'}
        </button>
        {isCorrecting ? (
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={onDiscard}>
            Cancel the correction
          </button>
        ) : null}
        {isDraft && !isConfirming ? (
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-wide" onClick={() => setIsConfirming(true)}>
            Discard this set
          </button>
        ) : null}
      </div>
      {isConfirming ? (
        <div className="app-notice app-discard" role="group" aria-labelledby="discard-question">
          <p id="discard-question">Discard set {number}? It has not been recorded, and its entries will be deleted from this device.</p>
          <button type="button" className="nhsuk-button nhsuk-button--warning app-button-inline" onClick={onDiscard}>
            Yes, discard set {number}
          </button>
          <button type="button" className="nhsuk-button nhsuk-button--secondary app-button-inline" onClick={() => setIsConfirming(false)}>
            Keep set {number}
          </button>
        </div>
      ) : null}
    </>
  );
}
