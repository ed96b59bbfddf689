import { type DocumentView, type EventView, type PatientRecordView } from '../../contract';
import { ItemSource } from './Freshness';
import { Marker, PastItems, Section, SectionState } from './RecordParts';
import { SECTION_WORDS, contentTypeLabel, formatWhen, statusLabel } from './recordText';

type RecordProps = Readonly<{ record: PatientRecordView }>;
type EventKind = 'encounters' | 'procedures' | 'immunizations';

const TITLES: Readonly<Record<EventKind, string>> = { encounters: 'Recent encounters', procedures: 'Procedures', immunizations: 'Immunisations' };

function EventItem({ event }: Readonly<{ event: EventView }>) {
  const when = formatWhen(event.at);
  return (
    <li className="app-item">
      <p className="app-item__title">
        {event.text}
        <Marker text={statusLabel(event.status)} />
      </p>
      <p className="app-item__detail">{[when ?? 'Date not recorded', event.organisation].filter(Boolean).join(' · ')}</p>
      {event.detail ? <p className="app-item__detail">{event.detail}</p> : null}
      <ItemSource source={event.source} confirmedAt={event.confirmedAt} />
    </li>
  );
}

/** Recent history of one kind, newest first; earlier ones a click away. */
export function EventsSection({ record, kind }: RecordProps & Readonly<{ kind: EventKind }>) {
  const items = record[kind];
  const earlier = record.past[kind];
  return (
    <Section id={kind} title={TITLES[kind]}>
      <SectionState coverage={record.coverage[kind]} words={SECTION_WORDS[kind]} count={items.length} pastCount={earlier.length} />
      <ul className="nhsuk-list app-items">
        {items.map((e) => <EventItem key={e.id} event={e} />)}
      </ul>
      <PastItems count={earlier.length} words={SECTION_WORDS[kind]}>
        <ul className="nhsuk-list app-items">
          {earlier.map((e) => <EventItem key={e.id} event={e} />)}
        </ul>
      </PastItems>
    </Section>
  );
}

function DocumentItem({ doc }: Readonly<{ doc: DocumentView }>) {
  const kind = [doc.type, contentTypeLabel(doc.contentType)].filter(Boolean).join(' · ');
  return (
    <li className={`app-item${doc.isAdvanceCarePlan ? ' app-item--plan' : ''}`}>
      <p className="app-item__title">
        {doc.title}
        <Marker text={doc.isPreliminary ? 'Preliminary' : null} isWarning />
      </p>
      {kind ? <p className="app-item__detail">{kind}</p> : null}
      {doc.description ? <p className="app-item__text">{doc.description}</p> : null}
      <p className="app-item__detail app-item__offline">Not stored on this device: open it from the shared care record when online.</p>
      <ItemSource source={doc.source} confirmedAt={doc.confirmedAt} />
    </li>
  );
}

/** Documents the record lists; their content is not downloaded, and the screen says so. */
export function DocumentsSection({ record }: RecordProps) {
  return (
    <Section id="documents" title="Documents">
      <SectionState coverage={record.coverage.documents} words={SECTION_WORDS.documents} count={record.documents.length} pastCount={0} />
      <ul className="nhsuk-list app-items">
        {record.documents.map((d) => <DocumentItem key={d.id} doc={d} />)}
      </ul>
    </Section>
  );
}
