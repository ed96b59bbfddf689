import { latestVersion } from './triageEpisode';
import { setObservationIds } from './triageFhir';
import { ageText, dispositionChecks, handoverSigns, news2For, parseEntries, scale2Evidence } from './triageRules';
import type { HandoverView, ObservationSetDoc, ObservationSetView, TriageDoc, TriageSummary, TriageView } from './triageViews';
import type { PatientRecordView, PatientSummary } from './views';

/** What the device knows around an episode: the patient, their record (when cached) and what still waits to upload. */
export type TriageViewContext = Readonly<{
  patient: PatientSummary;
  record: PatientRecordView | null;
  /** Ids of resources queued in the outbox. */
  queuedIds: ReadonlySet<string>;
  now: Date;
}>;

/** Every resource id an episode sends: its encounter, handover, created patient and each set's observations. */
export function triageResourceIds(doc: TriageDoc): string[] {
  const ids = [doc.triageId, `${doc.triageId}-handover`, ...(doc.isUnidentified ? [doc.patientId] : [])];
  for (const set of doc.sets) ids.push(...setObservationIds(doc, set));
  return ids;
}

export const waitingCount = (doc: TriageDoc, queuedIds: ReadonlySet<string>): number => triageResourceIds(doc).filter((id) => queuedIds.has(id)).length;

function setView(doc: TriageDoc, set: ObservationSetDoc, queuedIds: ReadonlySet<string>): ObservationSetView {
  const latest = latestVersion(set);
  const isQueued = setObservationIds(doc, set).some((id) => queuedIds.has(id));
  return {
    ...set,
    status: latest?.status ?? 'draft',
    news2: news2For(set.entries, set.spo2Scale),
    problems: [...parseEntries(set.entries, set.spo2Scale).problems],
    upload: latest === null ? 'not-recorded' : isQueued ? 'waiting' : 'uploaded',
  };
}

/** The handover as it stands: signs come from what was recorded, never from a draft on screen. */
export function handoverViewOf(doc: TriageDoc, patient: Pick<PatientSummary, 'birthDate'>, now: Date): HandoverView {
  const recorded = doc.sets.flatMap((set): ObservationSetView[] => {
    const latest = latestVersion(set);
    if (!latest) return [];
    const problems = parseEntries(latest.entries, latest.spo2Scale).problems;
    const news2 = news2For(latest.entries, latest.spo2Scale);
    return [{ ...set, entries: latest.entries, spo2Scale: latest.spo2Scale, takenAt: latest.takenAt, status: latest.status, news2, problems: [...problems], upload: 'uploaded' }];
  });
  return {
    entries: doc.handover,
    age: !patient.birthDate && doc.patientSnapshot?.estimatedAge ? `${doc.patientSnapshot.estimatedAge} (estimated: identity not verified)` : ageText(patient.birthDate, now),
    signs: handoverSigns(recorded),
    status: doc.handoverVersion === 0 ? 'draft' : doc.handoverVersion === 1 ? 'final' : 'amended',
  };
}

/** Texts in the record that may document an 88–92% target, with where each is. */
function scale2Texts(record: PatientRecordView | null): { where: string; text: string }[] {
  if (!record) return [];
  return [
    ...record.alerts.map((a) => ({ where: `Alert (${a.category})`, text: a.text })),
    ...record.carePlans.flatMap((p) => [{ where: `Care plan “${p.title}”`, text: `${p.title}. ${p.description}` }, ...p.activities.map((text) => ({ where: `Care plan “${p.title}”`, text }))]),
    ...record.conditions.map((c) => ({ where: 'Condition', text: `${c.text}${c.detail ? `. ${c.detail}` : ''}` })),
  ];
}

export function buildTriageView(doc: TriageDoc, ctx: TriageViewContext): TriageView {
  const sets = doc.sets.map((s) => setView(doc, s, ctx.queuedIds));
  const resuscitation = ctx.record?.resuscitation ?? null;
  return {
    triageId: doc.triageId,
    patient: {
      patientId: ctx.patient.patientId,
      name: ctx.patient.name,
      nhsNumber: ctx.patient.nhsNumber,
      birthDate: ctx.patient.birthDate,
      gender: ctx.patient.gender,
      isUnidentified: doc.isUnidentified,
    },
    incidentId: doc.incidentId,
    startedAt: doc.startedAt,
    startedBy: doc.startedBy,
    state: doc.state,
    finishedAt: doc.finishedAt,
    sets,
    disposition: doc.disposition,
    checks: [
      ...dispositionChecks(doc.disposition, {
        resuscitation: resuscitation?.status ?? 'not-yet-confirmed',
        resuscitationHeadline: resuscitation?.headline ?? 'No shared care record is on this device for this patient.',
        carePlans: ctx.record?.carePlans ?? [],
      }),
    ],
    handover: handoverViewOf(doc, ctx.patient, ctx.now),
    scale2FromRecord: scale2Evidence(scale2Texts(ctx.record)),
    resuscitationHeadline: resuscitation?.headline ?? 'No shared care record is on this device for this patient: resuscitation decision not known.',
    waitingToUpload: waitingCount(doc, ctx.queuedIds),
    updatedAt: doc.updatedAt,
  };
}

export function triageSummary(doc: TriageDoc, queuedIds: ReadonlySet<string>): TriageSummary {
  const recorded = doc.sets.filter((s) => s.versions.length > 0 && latestVersion(s)?.status !== 'entered-in-error');
  const last = recorded.at(-1);
  const lastVersion = last ? latestVersion(last) : null;
  const score = lastVersion ? news2For(lastVersion.entries, lastVersion.spo2Scale) : null;
  return {
    triageId: doc.triageId,
    startedAt: doc.startedAt,
    startedBy: doc.startedBy,
    state: doc.state,
    recordedSets: recorded.length,
    latestNews2: score?.isComplete ? score.total : null,
    waitingToUpload: waitingCount(doc, queuedIds),
  };
}
