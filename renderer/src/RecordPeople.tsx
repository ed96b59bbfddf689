import { type ContactView, type PatientRecordView } from '../../contract';
import { ItemSource } from './Freshness';
import { Section, SectionState } from './RecordParts';
import { SECTION_WORDS } from './recordText';
import { capitalise } from './textCompare';

type RecordProps = Readonly<{ record: PatientRecordView }>;

const KIND: Readonly<Record<ContactView['kind'], string>> = { 'patient-contact': 'Contact', 'related-person': 'Family or carer', 'care-team': 'Care team' };

function ContactItem({ contact }: Readonly<{ contact: ContactView }>) {
  const role = [contact.relationship ?? KIND[contact.kind], contact.organisation, contact.team].filter(Boolean).join(' · ');
  return (
    <li className="app-item">
      <p className="app-item__title">{contact.name}</p>
      <p className="app-item__detail">{role}</p>
      {contact.phones.length === 0 ? <p className="app-item__detail">No phone number recorded</p> : null}
      {contact.phones.map((phone) => (
        <p key={phone.value} className="app-item__detail">
          Phone: <span className="app-phone">{phone.value}</span>
          {phone.use ? ` (${phone.use})` : ''}
        </p>
      ))}
      <ItemSource source={contact.source} confirmedAt={contact.confirmedAt} />
    </li>
  );
}

export function ContactsSection({ record }: RecordProps) {
  return (
    <Section id="contacts" title="People to contact">
      <SectionState coverage={record.coverage.contacts} words={SECTION_WORDS.contacts} count={record.contacts.length} pastCount={0} />
      <ul className="nhsuk-list app-items">
        {record.contacts.map((c) => <ContactItem key={c.id} contact={c} />)}
      </ul>
    </Section>
  );
}

/** Interpreter or sign-language needs, near the top: the crew needs them before they speak. */
export function CommunicationNeeds({ record }: RecordProps) {
  const { languages, interpreterRequired } = record.communication;
  const signLanguages = languages.filter((l) => l.isSignLanguage);
  if (!interpreterRequired && signLanguages.length === 0) return null;
  const preferred = languages.find((l) => l.isPreferred) ?? languages[0];
  return (
    <div className="app-notice app-needs" role="note" aria-label="Communication needs">
      <p className="app-needs__title">Communication needs</p>
      {interpreterRequired ? <p>Needs an interpreter{preferred ? `: ${preferred.text}` : ''}.</p> : null}
      {signLanguages.map((l) => (
        <p key={l.text}>Uses {l.text}.</p>
      ))}
    </div>
  );
}

/** Gender, address, languages and, when there is no NHS number, the other identifiers. */
export function PatientDetails({ record }: RecordProps) {
  const { patient, communication } = record;
  const others = patient.otherIdentifiers ?? [];
  const rows: [string, string][] = [
    ['Gender', patient.gender ? capitalise(patient.gender) : 'Not recorded'],
    ['Address', patient.address ?? 'Not recorded'],
    ['Language', communication.languages.length ? communication.languages.map((l) => `${l.text}${l.isPreferred ? ' (preferred)' : ''}`).join(', ') : 'Not recorded'],
    ['Interpreter', communication.interpreterRequired === null ? 'Not recorded' : communication.interpreterRequired ? 'Needed' : 'Not needed'],
    ['Registered GP', communication.registeredGp ?? 'Not recorded'],
    ...others.map((i): [string, string] => [i.label, i.value]),
  ];
  return (
    <section className="app-section" aria-labelledby="details-heading">
      <h2 className="nhsuk-heading-m app-section__heading" id="details-heading">
        Patient details
      </h2>
      {!patient.nhsNumber && others.length > 0 ? <p className="app-section__gap">No NHS number is recorded. Other identifiers are below.</p> : null}
      <dl className="nhsuk-summary-list">
        {rows.map(([key, value], index) => (
          <div key={`${key}-${index}`} className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">{key}</dt>
            <dd className="nhsuk-summary-list__value">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
