import { type ConflictDetailView, type ConflictFieldView, type ConflictListItem } from '../../contract';
import { formatWhen } from './recordText';

const CHANGED_BY: Readonly<Record<NonNullable<ConflictFieldView['changedBy']>, string>> = {
  device: 'Changed on this device',
  central: 'Changed on the shared care record',
  both: 'Changed on this device and on the shared care record',
};

const SIDE: Readonly<Record<ConflictListItem['side'], string>> = {
  both: 'In both versions',
  device: 'Only in your version',
  central: 'Only in the shared care record',
};

/** Who wrote an item and when, where the record says. */
const authorship = (item: ConflictListItem) => [item.by, formatWhen(item.at)].filter(Boolean).join(', ');

function ListItems({ items, side }: Readonly<{ items: readonly ConflictListItem[]; side: 'device' | 'central' }>) {
  const shown = items.filter((i) => i.side === 'both' || i.side === side);
  if (shown.length === 0) return <p className="app-item__detail">(none)</p>;
  return (
    <ul className="nhsuk-list app-diff__items">
      {shown.map((item, index) => (
        <li key={`${index}:${item.text}`} className={item.side === 'both' ? 'app-diff__item' : 'app-diff__item app-diff__item--changed'}>
          <span className="app-diff__tag">{SIDE[item.side]}</span>
          <span className="app-diff__text">{item.text}</span>
          {authorship(item) ? <span className="app-item__detail">{authorship(item)}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function Lines({ lines }: Readonly<{ lines: readonly string[] }>) {
  if (lines.length === 0) return <p className="app-item__detail">(not recorded)</p>;
  return (
    <ul className="nhsuk-list app-diff__items">
      {lines.map((line, index) => (
        <li key={`${index}:${line}`} className="app-diff__item app-diff__item--changed">
          <span className="app-diff__text">{line}</span>
        </li>
      ))}
    </ul>
  );
}

/** One differing field: both versions side by side, the difference marked in words as well as colour. */
function FieldComparison({ field, headings }: Readonly<{ field: ConflictFieldView; headings: readonly [string, string] }>) {
  const id = `conflict-field-${field.field}`;
  return (
    <section className="app-diff" aria-labelledby={id}>
      <h3 className="nhsuk-heading-s" id={id}>{field.label}</h3>
      <p className="app-item__detail">{field.changedBy ? CHANGED_BY[field.changedBy] : 'Who changed it is not known (the version your change started from was not kept)'}</p>
      <div className="app-diff__columns">
        <div className="app-diff__column" role="group" aria-label={`${field.label}: ${headings[0]}`}>
          <h4 className="nhsuk-heading-xs">{headings[0]}</h4>
          {field.items ? <ListItems items={field.items} side="device" /> : <Lines lines={field.local} />}
        </div>
        <div className="app-diff__column" role="group" aria-label={`${field.label}: ${headings[1]}`}>
          <h4 className="nhsuk-heading-xs">{headings[1]}</h4>
          {field.items ? <ListItems items={field.items} side="central" /> : <Lines lines={field.server} />}
        </div>
      </div>
    </section>
  );
}

/** Every field the two versions disagree on, with the versions named by when they were made. */
export function ConflictVersions({ detail }: Readonly<{ detail: ConflictDetailView }>) {
  const mine = `Your version${detail.device.savedAt ? ` (saved ${formatWhen(detail.device.savedAt)})` : ''}`;
  const theirs = `Shared care record${detail.central.versionId ? `, version ${detail.central.versionId}` : ''}${detail.central.updatedAt ? ` (updated ${formatWhen(detail.central.updatedAt)})` : ''}`;
  if (detail.fields.length === 0) return <p>The two versions hold the same information; either choice keeps it.</p>;
  return (
    <>
      {detail.fields.map((field) => (
        <FieldComparison key={field.field} field={field} headings={[mine, theirs]} />
      ))}
    </>
  );
}
