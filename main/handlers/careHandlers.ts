import { randomUUID } from 'node:crypto';
import type { CarePlan, Patient } from '@medplum/fhirtypes';
import { type AccessSubject, decidePatientWorkAccess, denyMessage, mayContributeToCarePlans, mayResolveConflicts } from '../../core/access';
import { type Contribution, contributionCommunication, planWithCrewNote } from '../../core/carePlanContribution';
import { conflictDetailView } from '../../core/conflictText';
import { AppError } from '../../core/errors';
import { referenceId } from '../../core/fhirText';
import { patientSummary } from '../../core/recordView';
import type { Handlers } from '../dispatch';
import type { Session } from '../services/sessions';
import { requireSession } from './requireSession';
import type { Services } from './services';

type CareMethod = 'conflicts.open' | 'careplans.contribute';
export type CareHandlers = Readonly<{ [M in CareMethod]: Handlers[M] }>;

/** Plans a crew may add to: in force now (core/record/carePlans.ts shows the same as current). */
const CURRENT_PLAN: ReadonlySet<string> = new Set(['active', 'on-hold']);

/**
 * Issue #14: a conflict opened with both versions (clinical values, so the patient's access rule
 * and a durable audit entry come first), and a crew's addition to a care plan (audited before it
 * is saved; saved through the outbox, so it shows at once as waiting to upload).
 */
export function createCareHandlers(s: Services, newId: () => string = randomUUID): CareHandlers {
  const who = (session: Session, patientId: string) => ({ user: session.user, practitionerId: session.practitionerId, patientId });

  async function allow(session: Session, subject: AccessSubject, patientId: string, action: 'conflict.open' | 'careplan.contribute', incidentId: string | null) {
    const decision = decidePatientWorkAccess(subject, patientId, s.now(), incidentId);
    if (decision.allowed) return decision;
    await s.audit.recordedOrDeferred({ ...who(session, patientId), action, purpose: incidentId ? `incident ${incidentId}` : 'no purpose', outcome: 'failure' });
    throw new AppError('forbidden', denyMessage(decision.reason));
  }

  return {
    'conflicts.open': async ({ conflictId }, context) => {
      const session = requireSession(context);
      if (!mayResolveConflicts(session.user.role)) throw new AppError('forbidden', 'Only clinicians and paramedics review two versions of a record.');
      const versions = await s.store.requireSync().conflict(conflictId);
      if (!versions) throw new AppError('not-found', 'That conflict is no longer waiting for review.');
      const decision = await allow(session, await s.access.subject(session), versions.patientId, 'conflict.open', null);
      const patient = await s.store.repo().get<Patient>('Patient', versions.patientId);
      if (!patient) throw new AppError('not-found', 'This patient’s record is no longer on this device, so the conflict cannot be shown.');
      const summary = patientSummary(patient.resource, s.now());
      const view = conflictDetailView(versions, summary);
      await s.audit.durableBeforeAnswer({
        ...who(session, versions.patientId),
        action: 'conflict.open',
        purpose: `${decision.purpose}: ${versions.resourceType}/${versions.resourceId}`,
        outcome: 'success',
        patientNhsNumber: summary.nhsNumber,
      });
      return view;
    },
    'careplans.contribute': async (params, context) => {
      const session = requireSession(context);
      if (!mayContributeToCarePlans(session.user.role)) throw new AppError('forbidden', 'Care plans are added to by ambulance clinicians and clinical advisers.');
      const decision = await allow(session, await s.access.subject(session), params.patientId, 'careplan.contribute', params.incidentId);
      const cached = await s.store.repo().get<CarePlan>('CarePlan', params.carePlanId);
      if (!cached || referenceId(cached.resource.subject, 'Patient') !== params.patientId) throw new AppError('not-found', 'That care plan is not on this device for this patient.');
      if (!CURRENT_PLAN.has(cached.resource.status)) throw new AppError('bad-request', 'This care plan is no longer in force, so nothing can be added to it.');
      const contribution: Contribution = {
        kind: params.kind,
        outcome: params.kind === 'plan-used' ? params.outcome : null,
        text: params.text,
        by: { userId: session.user.userId, name: session.user.displayName, practitionerId: session.practitionerId },
        at: s.now().toISOString(),
        incidentId: params.incidentId,
      };
      const resource = params.kind === 'crew-information'
        ? planWithCrewNote(cached.resource, contribution)
        : contributionCommunication(newId(), cached.resource, contribution);
      const entry = (outcome: 'success' | 'failure') => ({
        ...who(session, params.patientId),
        action: 'careplan.contribute' as const,
        purpose: `${decision.purpose}: ${params.kind} CarePlan/${params.carePlanId}`,
        outcome,
      });
      await s.audit.durableBeforeAnswer(entry('success')); // no entry, no change
      try {
        await s.store.requireSync().recordLocal(resource);
      } catch (error) {
        await s.audit.recordedOrDeferred(entry('failure'));
        throw error;
      }
      return { resourceType: resource.resourceType, resourceId: resource.id ?? '' };
    },
  };
}
