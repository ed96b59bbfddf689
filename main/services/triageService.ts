import { randomUUID } from 'node:crypto';
import type { Patient } from '@medplum/fhirtypes';
import { type TriageTarget, decideAccess, decideTriageAccess, denyMessage } from '../../core/access';
import { AppError } from '../../core/errors';
import { patientSummary } from '../../core/recordView';
import { newTriage } from '../../core/triageEpisode';
import { unidentifiedPatient } from '../../core/triageFhir';
import { buildTriageView, triageResourceIds, triageSummary, waitingCount } from '../../core/triageView';
import { linkedVersion, repointReferences, replacedTemporaryPatient, restoredTemporaryPatient } from '../../core/triageLink';
import { relinkQueued, uploadedOf } from '../../db/patientRelink';
import type { StaffRef, TriageDoc, TriageSummary, TriageView } from '../../core/triageViews';
import type { PatientSummary } from '../../core/views';
import type { TriageStore } from '../../db/triageStore';
import type { RecordAccess } from '../handlers/recordAccess';
import type { AuditPort } from './auditPort';
import type { DeviceStore } from './deviceStore';
import type { Session } from './sessions';

export type TriageServiceDeps = Readonly<{
  store: DeviceStore;
  audit: AuditPort;
  access: Pick<RecordAccess, 'subject' | 'recordViewOf'>;
  organizationId: string | null;
  now: () => Date;
  log: (line: string) => void;
  newId?: () => string;
}>;

/** What one step does to an episode: the new document and the FHIR resources it produces. */
export type TriageStep = (doc: TriageDoc, ctx: StepContext) => Readonly<{ doc: TriageDoc; resources?: readonly object[] }>;
export type StepContext = Readonly<{ by: StaffRef; now: string; newId: () => string; patient: PatientSummary; organizationId: string | null }>;

const staffRef = (session: Session): StaffRef => ({ userId: session.user.userId, name: session.user.displayName, practitionerId: session.practitionerId });

/**
 * Triage episodes (issue #12): access rule, audit entry, save as entered, then the FHIR resources
 * into the outbox. The resources go into the episode row first (its `unqueued` journal, same
 * statement as the change) and are queued from there, so a crash between the two loses nothing.
 */
export function createTriageService(deps: TriageServiceDeps) {
  const newId = deps.newId ?? randomUUID;
  const nowIso = () => deps.now().toISOString();

  const triageStore = (): TriageStore => {
    const opened = deps.store.current();
    if (!opened) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
    return opened.triage;
  };

  async function patientOf(doc: Pick<TriageDoc, 'patientId' | 'patientSnapshot'>): Promise<PatientSummary> {
    const cached = await deps.store.repo().get<Patient>('Patient', doc.patientId);
    if (cached) return patientSummary(cached.resource);
    // The record was purged (incident closed) but the episode is clinical record made here: still shown.
    if (doc.patientSnapshot) return { patientId: doc.patientId, ...doc.patientSnapshot, address: null };
    throw new AppError('not-found', 'This patient is not on this device. Try again when sync has finished.');
  }
  const snapshotOf = ({ name, nhsNumber, birthDate, gender }: PatientSummary) => ({ name, nhsNumber, birthDate, gender });

  async function queuedIds(patientId: string): Promise<Set<string>> {
    const opened = deps.store.current();
    if (!opened) return new Set();
    const docs = await opened.outbox.find({ selector: { patientId } }).exec();
    return new Set(docs.map((d) => d.resourceId));
  }

  /** Queues what the journal holds, then clears it. A failure leaves it for the next read (and says so in the log by kind). */
  async function flush(stored: { doc: TriageDoc; revision: number }): Promise<{ doc: TriageDoc; revision: number }> {
    if (stored.doc.unqueued.length === 0) return stored;
    const sync = deps.store.requireSync();
    for (const resource of stored.doc.unqueued) await sync.recordLocal(resource);
    const doc = { ...stored.doc, unqueued: [] };
    return { doc, revision: triageStore().save(doc, stored.revision) };
  }

  async function load(triageId: string): Promise<{ doc: TriageDoc; revision: number }> {
    const stored = triageStore().get(triageId);
    if (!stored) throw new AppError('not-found', 'That triage is not on this device.');
    try {
      return await flush(stored);
    } catch (error) {
      // The episode stays readable: its journal is retried at the next read and counted as waiting.
      deps.log(`triage journal not queued (${error instanceof AppError ? error.code : 'unexpected error'})`);
      return stored;
    }
  }

  async function targetOf(doc: TriageDoc): Promise<TriageTarget> {
    const hasOpenWork = doc.state === 'in-progress' || doc.unqueued.length > 0 || waitingCount(doc, await queuedIds(doc.patientId)) > 0;
    return { patientId: doc.patientId, incidentId: doc.incidentId, isUnidentified: doc.isUnidentified, startedByUserId: doc.startedBy.userId, hasOpenWork };
  }

  /** The access rule for this user and episode; a refusal is audited and thrown. */
  async function allow(session: Session, target: TriageTarget, action: 'triage.open' | 'triage.write', section: string): Promise<string> {
    const decision = decideTriageAccess(await deps.access.subject(session), target, deps.now());
    if (decision.allowed) return decision.purpose;
    await deps.audit.recordedOrDeferred({ user: session.user, practitionerId: session.practitionerId, action, patientId: target.patientId, purpose: target.incidentId ? `incident ${target.incidentId}` : null, outcome: 'failure', detail: { section } });
    throw new AppError('forbidden', denyMessage(decision.reason));
  }

  const audited = (session: Session, doc: TriageDoc, purpose: string, action: 'triage.open' | 'triage.write', section: string, patient: PatientSummary) =>
    deps.audit.durableBeforeAnswer({ user: session.user, practitionerId: session.practitionerId, action, patientId: doc.patientId, purpose, outcome: 'success', patientNhsNumber: patient.nhsNumber, detail: { section } });

  async function viewOf(doc: TriageDoc): Promise<TriageView> {
    const patient = await patientOf(doc);
    const record = doc.isUnidentified ? null : await deps.access.recordViewOf(doc.patientId);
    const view = buildTriageView(doc, { patient, record, queuedIds: await queuedIds(doc.patientId), now: deps.now() });
    const linkedFrom = doc.link ? { name: doc.link.fromSnapshot.name, linkedAt: doc.link.linkedAt, canUndo: doc.link.mode === 'moved' && (await canUndo(doc)) } : null;
    return { ...view, linkedFrom, waitingToUpload: view.waitingToUpload + doc.unqueued.length };
  }

  /** Undo is possible while nothing of the episode has been accepted by the central record. */
  async function canUndo(doc: TriageDoc): Promise<boolean> {
    const opened = deps.store.current();
    return opened ? (await uploadedOf(opened, doc.patientId, new Set(triageResourceIds(doc)))).length === 0 : false;
  }

  const withUnqueuedRepointed = (doc: TriageDoc, fromId: string, toId: string): TriageDoc['unqueued'] => doc.unqueued.map((r) => repointReferences(r, fromId, toId));

  /** Audited before the change is kept: no entry, no write (DESIGN §5). */
  async function saveNew(session: Session, doc: TriageDoc, purpose: string, section: string): Promise<TriageView> {
    await audited(session, doc, purpose, 'triage.write', section, await patientOf(doc));
    const revision = triageStore().save(doc, 0);
    return viewOf((await flush({ doc, revision })).doc);
  }

  /** The temporary Patient's new version (link added or undone), through the outbox like any local write. */
  async function rewriteTemporary(fromId: string, change: (p: Patient) => Patient): Promise<void> {
    const cached = await deps.store.repo().get<Patient>('Patient', fromId);
    if (cached) await deps.store.requireSync().recordLocal(change(cached.resource));
  }

  return {
    /**
     * Issue #13: links an unidentified patient's episode to the patient found. Needs the right to
     * open the real patient's record (their incident, or emergency access): the episode view shows it.
     */
    async linkPatient(session: Session, triageId: string, toPatientId: string): Promise<TriageView> {
      const stored = await load(triageId);
      const from = stored.doc;
      if (!from.isUnidentified) throw new AppError('bad-request', 'This patient is already identified. Only a temporary identity can be linked.');
      await allow(session, await targetOf(from), 'triage.write', 'link-patient');
      const to = await deps.store.repo().get<Patient>('Patient', toPatientId);
      if (!to) throw new AppError('not-found', 'That patient’s record is not on this device yet. Open them from the search first, then link.');
      const decision = decideAccess(await deps.access.subject(session), toPatientId, from.incidentId ? { kind: 'incident', incidentId: from.incidentId } : { kind: 'break-glass' }, deps.now());
      if (!decision.allowed) throw new AppError('forbidden', 'Linking shows this patient’s record. Use emergency access for them first, then link.');
      const real = patientSummary(to.resource);
      const ids = new Set(triageResourceIds(from));
      await audited(session, { ...from, patientId: toPatientId }, decision.purpose, 'triage.write', 'link-patient', real);
      await audited(session, from, decision.purpose, 'triage.write', 'link-patient', await patientOf(from));
      const opened = deps.store.current();
      if (!opened) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      const moved = await relinkQueued(opened, { fromPatientId: from.patientId, toPatientId, resourceIds: ids }, deps.now().getTime());
      // Already uploaded: amended versions referencing the real patient (append-only), where the rules allow.
      for (const doc of moved.uploaded) {
        const next = linkedVersion(doc.resource, from.patientId, toPatientId);
        if (next) await deps.store.requireSync().recordLocal(next);
      }
      await rewriteTemporary(from.patientId, (p) => replacedTemporaryPatient(p, toPatientId));
      const now = nowIso();
      const snapshot = from.patientSnapshot;
      const doc: TriageDoc = {
        ...from,
        patientId: toPatientId,
        isUnidentified: false,
        patientSnapshot: snapshotOf(real),
        link: {
          fromPatientId: from.patientId,
          fromSnapshot: { name: snapshot?.name ?? 'Unknown patient', gender: snapshot?.gender ?? null, ...(snapshot?.estimatedAge ? { estimatedAge: snapshot.estimatedAge } : {}) },
          linkedAt: now,
          linkedBy: staffRef(session),
          mode: moved.uploaded.length === 0 ? 'moved' : 'linked',
        },
        unqueued: withUnqueuedRepointed(from, from.patientId, toPatientId),
        updatedAt: now,
      };
      const revision = triageStore().save(doc, stored.revision);
      return viewOf((await flush({ doc, revision })).doc);
    },

    /** Undoes a link made before upload, while nothing of the episode has been uploaded since. */
    async unlinkPatient(session: Session, triageId: string): Promise<TriageView> {
      const stored = await load(triageId);
      const linked = stored.doc;
      const link = linked.link;
      if (!link) throw new AppError('bad-request', 'This triage was not linked from a temporary identity.');
      const purpose = await allow(session, await targetOf(linked), 'triage.write', 'unlink-patient');
      if (link.mode !== 'moved' || !(await canUndo(linked))) {
        throw new AppError('conflict', 'Part of this triage has already been sent to the central record with this patient, so the link cannot be undone here. Ask the central record’s team to correct it.');
      }
      const opened = deps.store.current();
      if (!opened) throw new AppError('unauthenticated', 'The device is locked. Sign in to unlock it.');
      await audited(session, linked, purpose, 'triage.write', 'unlink-patient', await patientOf(linked));
      await relinkQueued(opened, { fromPatientId: linked.patientId, toPatientId: link.fromPatientId, resourceIds: new Set(triageResourceIds(linked)) }, deps.now().getTime());
      await rewriteTemporary(link.fromPatientId, restoredTemporaryPatient);
      const { link: _undone, ...rest } = linked;
      const doc: TriageDoc = {
        ...rest,
        patientId: link.fromPatientId,
        isUnidentified: true,
        patientSnapshot: { name: link.fromSnapshot.name, nhsNumber: null, birthDate: null, gender: link.fromSnapshot.gender, ...(link.fromSnapshot.estimatedAge ? { estimatedAge: link.fromSnapshot.estimatedAge } : {}) },
        unqueued: withUnqueuedRepointed(linked, linked.patientId, link.fromPatientId),
        updatedAt: nowIso(),
      };
      const revision = triageStore().save(doc, stored.revision);
      return viewOf((await flush({ doc, revision })).doc);
    },

    async start(session: Session, patientId: string, incidentId: string | null): Promise<TriageView> {
      const purpose = await allow(session, { patientId, incidentId, isUnidentified: false, startedByUserId: null, hasOpenWork: false }, 'triage.write', 'start');
      const started = newTriage({ triageId: newId(), patientId, incidentId, isUnidentified: false, by: staffRef(session), now: nowIso() });
      const doc = { ...started, patientSnapshot: snapshotOf(await patientOf(started)) }; // refuses a patient not on this device
      return saveNew(session, doc, purpose, 'start');
    },

    async startUnidentified(session: Session, input: Readonly<{ incidentId: string | null; description: string; gender: Patient['gender']; estimatedAge: string }>): Promise<TriageView> {
      const patientId = newId();
      const purpose = await allow(session, { patientId, incidentId: input.incidentId, isUnidentified: true, startedByUserId: session.user.userId, hasOpenWork: true }, 'triage.write', 'start-unidentified');
      const now = nowIso();
      const patient = unidentifiedPatient({ patientId, description: input.description, gender: input.gender, estimatedAge: input.estimatedAge, createdAt: now });
      // The patient is shown from the cache at once; the outbox sends it with the first push.
      await deps.store.requireSync().recordLocal(patient);
      const started = newTriage({ triageId: newId(), patientId, incidentId: input.incidentId, isUnidentified: true, by: staffRef(session), now });
      const doc = {
        ...started,
        patientSnapshot: { name: patient.name?.[0]?.text ?? 'Unknown patient', nhsNumber: null, birthDate: null, gender: input.gender ?? null, ...(input.estimatedAge ? { estimatedAge: input.estimatedAge } : {}) },
      };
      return saveNew(session, doc, purpose, 'start-unidentified');
    },

    async open(session: Session, triageId: string): Promise<TriageView> {
      const { doc } = await load(triageId);
      const purpose = await allow(session, await targetOf(doc), 'triage.open', 'open');
      const view = await viewOf(doc);
      await audited(session, doc, purpose, 'triage.open', 'open', await patientOf(doc));
      return view;
    },

    async printed(session: Session, triageId: string): Promise<void> {
      const { doc } = await load(triageId);
      const purpose = await allow(session, await targetOf(doc), 'triage.open', 'print');
      const patient = await patientOf(doc);
      await deps.audit.durableBeforeAnswer({ user: session.user, practitionerId: session.practitionerId, action: 'print', patientId: doc.patientId, purpose, outcome: 'success', patientNhsNumber: patient.nhsNumber, detail: { format: 'atmist-handover' } });
    },

    async list(session: Session, patientId: string): Promise<TriageSummary[]> {
      const docs = triageStore().forPatient(patientId).map((s) => s.doc);
      if (docs.length === 0) return [];
      const first = docs[0] as TriageDoc;
      const purpose = await allow(session, await targetOf(first), 'triage.open', 'list');
      const queued = await queuedIds(patientId);
      await audited(session, first, purpose, 'triage.open', 'list', await patientOf(first));
      return docs.map((doc) => triageSummary(doc, queued));
    },

    /** One change to an episode: rule, audit, save (with its journal), queue, view. */
    async change(session: Session, triageId: string, section: string, step: TriageStep): Promise<TriageView> {
      const stored = await load(triageId);
      const purpose = await allow(session, await targetOf(stored.doc), 'triage.write', section);
      const patient = await patientOf(stored.doc);
      const outcome = step(stored.doc, { by: staffRef(session), now: nowIso(), newId, patient, organizationId: deps.organizationId });
      const doc: TriageDoc = { ...outcome.doc, unqueued: [...stored.doc.unqueued, ...((outcome.resources ?? []) as Record<string, unknown>[])] };
      await audited(session, doc, purpose, 'triage.write', section, patient);
      const revision = triageStore().save(doc, stored.revision);
      return viewOf((await flush({ doc, revision })).doc);
    },
  };
}
export type TriageService = ReturnType<typeof createTriageService>;
