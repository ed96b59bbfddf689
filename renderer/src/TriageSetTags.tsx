import { type ObservationSetView } from '../../contract';
import { SET_STATUS_LABELS, UPLOAD_LABELS } from './triageText';

const STATUS_TONES: Readonly<Record<ObservationSetView['status'], string>> = {
  draft: 'grey',
  final: 'green',
  amended: 'blue',
  'entered-in-error': 'red',
};

const UPLOAD_TONES: Readonly<Record<ObservationSetView['upload'], string>> = { 'not-recorded': 'white', waiting: 'yellow', uploaded: 'green' };

/** A set's status and where it stands with the central record, as tags with words. */
export function TriageSetTags({ set }: Readonly<{ set: ObservationSetView }>) {
  return (
    <p className="app-set-tags">
      <strong className={`nhsuk-tag nhsuk-tag--${STATUS_TONES[set.status]}`}>
        <span className="nhsuk-u-visually-hidden">Status: </span>
        {SET_STATUS_LABELS[set.status]}
      </strong>
      {set.isCorrecting ? <strong className="nhsuk-tag nhsuk-tag--orange">Correction being entered</strong> : null}
      <strong className={`nhsuk-tag nhsuk-tag--${UPLOAD_TONES[set.upload]}`}>
        <span className="nhsuk-u-visually-hidden">Upload: </span>
        {UPLOAD_LABELS[set.upload]}
      </strong>
    </p>
  );
}
