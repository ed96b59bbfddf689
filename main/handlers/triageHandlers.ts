import {
  finishedTriage, withCorrecting, withDisposition, withHandover, withNewSet, withRecordedSet, withSavedSet, withoutDraft,
} from '../../core/triageEpisode';
import { encounterResource, handoverComposition, setObservations } from '../../core/triageFhir';
import { handoverViewOf } from '../../core/triageView';
import type { TriageDoc } from '../../core/triageViews';
import type { Handlers } from '../dispatch';
import type { StepContext } from '../services/triageService';
import { requireSession } from './requireSession';
import type { Services } from './services';

type TriageMethod =
  | 'triage.start' | 'triage.startUnidentified' | 'triage.open' | 'triage.list' | 'triage.addSet' | 'triage.saveSet'
  | 'triage.recordSet' | 'triage.correctSet' | 'triage.discardDraft' | 'triage.saveDisposition' | 'triage.saveHandover' | 'triage.finish' | 'triage.printed'
  | 'triage.linkPatient' | 'triage.unlinkPatient';
export type TriageHandlers = Readonly<{ [M in TriageMethod]: Handlers[M] }>;

const fhirContext = (ctx: StepContext) => ({ organizationId: ctx.organizationId, now: ctx.now });

/** The encounter goes with the first recorded set (observations point at it), then again when it changes. */
function encounterOnce(doc: TriageDoc, ctx: StepContext): { doc: TriageDoc; resources: object[] } {
  if (doc.encounterVersion > 0) return { doc, resources: [] };
  return { doc: { ...doc, encounterVersion: 1 }, resources: [encounterResource(doc, fhirContext(ctx))] };
}

/** The handover document as the episode now stands: final the first time, amended after. */
function handoverVersion(doc: TriageDoc, ctx: StepContext): { doc: TriageDoc; resource: object } {
  const next = { ...doc, handoverVersion: doc.handoverVersion + 1 };
  const status = doc.handoverVersion === 0 ? 'final' : 'amended';
  return { doc: next, resource: handoverComposition(next, handoverViewOf(next, ctx.patient, new Date(ctx.now)), status, fhirContext(ctx)) };
}

/** Triage (issue #12): every method goes through the triage service's rule, audit and save. */
export function createTriageHandlers(s: Services): TriageHandlers {
  const t = s.triage;
  return {
    'triage.start': async ({ patientId, incidentId }, context) => t.start(requireSession(context), patientId, incidentId),
    'triage.startUnidentified': async (params, context) => t.startUnidentified(requireSession(context), params),
    'triage.open': async ({ triageId }, context) => t.open(requireSession(context), triageId),
    'triage.linkPatient': async ({ triageId, patientId }, context) => t.linkPatient(requireSession(context), triageId, patientId),
    'triage.unlinkPatient': async ({ triageId }, context) => t.unlinkPatient(requireSession(context), triageId),
    'triage.list': async ({ patientId }, context) => ({ triages: await t.list(requireSession(context), patientId) }),
    'triage.printed': async ({ triageId }, context) => {
      await t.printed(requireSession(context), triageId);
      return {};
    },
    'triage.addSet': async ({ triageId }, context) =>
      t.change(requireSession(context), triageId, 'add-set', (doc, ctx) => ({ doc: withNewSet(doc, ctx.newId(), ctx.by, ctx.now) })),
    'triage.saveSet': async ({ triageId, setId, takenAt, entries, spo2Scale, correction }, context) =>
      t.change(requireSession(context), triageId, 'observation-set', (doc, ctx) => ({
        doc: withSavedSet(doc, setId, { takenAt: new Date(takenAt).toISOString(), entries, spo2Scale, correctionDraft: correction ?? null }, ctx.now),
      })),
    'triage.recordSet': async ({ triageId, setId, correction }, context) =>
      t.change(requireSession(context), triageId, correction ? `correction:${correction.status}` : 'record-set', (doc, ctx) => {
        const recorded = withRecordedSet(doc, setId, correction, ctx.by, ctx.now);
        const withEncounter = encounterOnce(recorded.doc, ctx);
        const observations = setObservations(withEncounter.doc, recorded.set, recorded.version, recorded.previous);
        // A correction after the handover was sent amends the handover too (its signs changed).
        if (withEncounter.doc.handoverVersion === 0) return { doc: withEncounter.doc, resources: [...withEncounter.resources, ...observations] };
        const handover = handoverVersion(withEncounter.doc, ctx);
        return { doc: handover.doc, resources: [...withEncounter.resources, ...observations, handover.resource] };
      }),
    'triage.correctSet': async ({ triageId, setId }, context) =>
      t.change(requireSession(context), triageId, 'correct-set', (doc, ctx) => ({ doc: withCorrecting(doc, setId, ctx.now) })),
    'triage.discardDraft': async ({ triageId, setId }, context) =>
      t.change(requireSession(context), triageId, 'discard-draft', (doc, ctx) => ({ doc: withoutDraft(doc, setId, ctx.now) })),
    'triage.saveDisposition': async ({ triageId, disposition }, context) =>
      t.change(requireSession(context), triageId, 'disposition', (doc, ctx) => ({ doc: withDisposition(doc, disposition, ctx.now) })),
    'triage.saveHandover': async ({ triageId, handover }, context) =>
      t.change(requireSession(context), triageId, 'handover', (doc, ctx) => ({ doc: withHandover(doc, handover, ctx.now) })),
    'triage.finish': async ({ triageId }, context) =>
      t.change(requireSession(context), triageId, 'finish', (doc, ctx) => {
        const finished = { ...finishedTriage(doc, ctx.now), encounterVersion: doc.encounterVersion + 1 };
        const handover = handoverVersion(finished, ctx);
        return { doc: handover.doc, resources: [encounterResource(finished, fhirContext(ctx)), handover.resource] };
      }),
  };
}
