import type { Patient, Task } from '@medplum/fhirtypes';
import { isOpenIncidentStatus, mayListIncidents } from '../../core/access';
import { AppError } from '../../core/errors';
import { SYSTEMS } from '../../core/fhirCodes';
import { referenceId } from '../../core/fhirText';
import { patientSummary } from '../../core/recordView';
import type { IncidentSummary } from '../../core/views';
import type { Handlers } from '../dispatch';
import { requireSession } from './requireSession';
import type { Services } from './services';

export type IncidentHandlers = Readonly<{ 'incidents.list': Handlers['incidents.list'] }>;

/** The vehicle's open incidents with their patients' names: audited before the list leaves. */
export function createIncidentHandlers(s: Services): IncidentHandlers {
  return {
    'incidents.list': async (_params, context) => {
      const session = requireSession(context);
      if (!mayListIncidents(session.user.role)) {
        throw new AppError('forbidden', session.user.role === 'administrator' ? 'Administrators do not see patient data.' : 'The vehicle’s incident list is for its crew. Search for the patient with the call reference instead.');
      }
      const repo = s.store.repo();
      const tasks = (await repo.ofType<Task>('Task')).filter((t) => isOpenIncidentStatus(t.resource.status));
      const incidents: IncidentSummary[] = [];
      for (const { resource: task, syncedAt } of tasks) {
        const patientId = referenceId(task.for, 'Patient');
        const patient = patientId ? await repo.get<Patient>('Patient', patientId) : null;
        incidents.push({
          incidentId: task.id ?? '',
          incidentNumber: task.identifier?.find((i) => i.system === SYSTEMS.incidentNumber)?.value ?? task.id ?? '',
          priority: task.priority ?? 'routine',
          description: task.description ?? '',
          status: task.status,
          assignedAt: task.authoredOn ?? null,
          patient: patient ? patientSummary(patient.resource) : null,
          syncedAt,
        });
      }
      // No entry, no data: the list names patients, so each patient shown gets an entry naming them
      // (the per-patient report must find it, issue #10); all written in one group commit.
      const entry = { user: session.user, practitionerId: session.practitionerId, action: 'incidents.list' as const, purpose: `vehicle ${s.config.vehicle}`, outcome: 'success' as const };
      const shown = incidents.flatMap((i) => (i.patient ? [i.patient] : []));
      await Promise.all(
        shown.length === 0
          ? [s.audit.durableBeforeAnswer({ ...entry, patientId: null })]
          : shown.map((p) => s.audit.durableBeforeAnswer({ ...entry, patientId: p.patientId, patientNhsNumber: p.nhsNumber })),
      );
      const status = s.store.sync()?.status();
      return { incidents, isOffline: !status?.isOnline, syncedAt: status?.lastSuccessAt ?? null };
    },
  };
}
