/**
 * Issue #14: what the sync detail screen and an open record say about sync, in the words a crew
 * reads (LESSONS: "Unable to sync" with no reason). Pure, no PHI: callers add names only where
 * the access rule allows.
 */
import type { PurgedItemView, SyncScopeProgress, SyncStatus } from './views';

type FailureReason = NonNullable<SyncStatus['lastFailure']>['reason'];

const WHAT_TO_DO: Readonly<Record<FailureReason, string>> = {
  offline: 'Nothing to do: OnScene keeps trying and uploads as soon as there is signal. Records on this device can still be opened.',
  auth: 'Sign in online again (Sign out, then sign in with your NHS login when there is signal). Until then nothing is sent or received.',
  'server-error': 'Nothing to do now: OnScene tries again on its next sync. If it keeps happening for an hour, tell the service desk.',
  'bad-data': 'Tell the service desk: the central record sent something OnScene could not use. The rest of the record is unaffected.',
  storage: 'Restart OnScene. If it happens again, tell the service desk; what is on this device is unchanged.',
  conflict: 'A clinician or paramedic should review each conflict: both versions are kept until someone decides.',
  clock: 'Correct this device’s date and time settings. Until then “last confirmed” times may be wrong.',
};

/** What to do about the last failure, by its typed reason. */
export const failureWhatToDo = (reason: FailureReason): string => WHAT_TO_DO[reason];

const SCOPE_LABELS: Readonly<Record<SyncScopeProgress['scope'], string>> = {
  incident: 'Incident patients',
  area: 'Area caseload (active care plans)',
  search: 'Patients opened by search',
};
export const scopeLabel = (scope: SyncScopeProgress['scope']): string => SCOPE_LABELS[scope];

const TIER_LABELS: Readonly<Record<SyncScopeProgress['tiers'][number]['tier'], string>> = {
  safety: 'Resuscitation decisions, alerts, allergies and care plans',
  clinical: 'Medicines and problems',
  history: 'History',
};
export const tierLabel = (tier: SyncScopeProgress['tiers'][number]['tier']): string => TIER_LABELS[tier];

/**
 * A scope's state in a sentence. Honest (LESSONS: "complete" at 28%): complete only when every
 * tier is; a stopped run says how far it got.
 */
export function scopeStateText(scope: SyncScopeProgress, isSyncing: boolean): string {
  const incomplete = scope.tiers.filter((t) => !t.isComplete);
  if (incomplete.length === 0 && scope.tiers.length > 0) return 'Complete';
  const first = incomplete[0];
  const part = first ? `${tierLabel(first.tier).toLowerCase()}: ${Math.min(first.done, first.total)} of ${first.total} kinds of record` : 'not started';
  return isSyncing ? `Fetching now (${part})` : `Stopped part way (${part}). The next sync carries on from here.`;
}

/** Why a patient was removed from this device (issue #14 list: expired, incident closed, left the area, restricted, deleted). */
export function purgeWhyText(item: Pick<PurgedItemView, 'reason' | 'scopes'>): string {
  switch (item.reason) {
    case 'expired':
      return 'Opened by search: the 12 hours a searched patient is kept on this device ended.';
    case 'deleted-on-server':
      return 'The record was deleted on the central record.';
    case 'restricted':
      return 'Part of the record is now restricted on the central record, so it was removed from this device.';
    case 'sharing-objection':
      return 'The patient objected to sharing their record, so all but their details were removed from this device.';
    case 'left-scope':
      if (item.scopes.includes('incident')) return 'The incident was closed or given to another vehicle, and the handover time after it ended.';
      if (item.scopes.includes('area')) return 'The patient left this area’s caseload (no active care plan here any more).';
      if (item.scopes.includes('search')) return 'Opened by search: the time a searched patient is kept on this device ended.';
      return 'Nothing on this device needed the record any more.';
  }
}

/** A record removed from this device while open: said plainly, with when and why. */
export function removedRecordText(item: Pick<PurgedItemView, 'reason' | 'scopes' | 'at'>, clock: (iso: string) => string): string {
  return `This record was removed from this device at ${clock(item.at)}. ${purgeWhyText(item)} Work you recorded for this patient is kept and still uploads.`;
}

const WHAT: Readonly<Record<string, string>> = {
  Observation: 'Observation',
  Encounter: 'Patient contact (encounter)',
  CarePlan: 'Care plan change',
  Communication: 'Addition to a care plan',
  Patient: 'Patient details',
  RelatedPerson: 'Contact',
  Condition: 'Problem',
  AllergyIntolerance: 'Allergy',
  Flag: 'Alert',
  Consent: 'Resuscitation decision or consent',
  QuestionnaireResponse: 'Form',
  DocumentReference: 'Document',
  Procedure: 'Procedure',
  MedicationStatement: 'Medicine',
  MedicationRequest: 'Medicine',
  Task: 'Incident',
  Provenance: 'Record of who changed what',
};

/** A kind of record in plain words ("Observation", "Care plan change"); an unknown type reads as itself. */
export const recordKindText = (resourceType: string): string => WHAT[resourceType] ?? (resourceType || 'Record');

/** Why an upload is still waiting. */
export function uploadWhyText(why: 'offline' | 'next-run' | 'uploading' | 'refused' | 'conflict', refusal?: string): string {
  switch (why) {
    case 'offline':
      return 'No signal. It uploads by itself when there is.';
    case 'next-run':
      return 'It goes with the next sync (every few minutes, or press Sync now).';
    case 'uploading':
      return 'Uploading now.';
    case 'refused':
      return `The central record refused it${refusal ? ` (${refusal})` : ''}. It is kept on this device; tell the service desk.`;
    case 'conflict':
      return 'Someone else changed the same record first. Both versions are kept until it is reviewed.';
  }
}

/** An HTTP refusal in words (the issue keeps only the status: no PHI). */
export function refusalText(reason: string): string {
  const status = /HTTP (\d{3})/.exec(reason)?.[1];
  if (status === '400' || status === '422') return `${reason}: it did not accept the content`;
  if (status === '401' || status === '403') return `${reason}: this device was not allowed to send it`;
  if (status === '404' || status === '410') return `${reason}: what it refers to is not on the central record`;
  return reason || 'no reason given';
}

/** Why an incoming item could not be read: the zod paths ("birthDate invalid_string; …") name fields, never values. */
export function unreadableText(resourceType: string, reason: string): string {
  const fields = [...new Set(reason.split(/;\s*/).map((f) => f.trim().split(/\s+/)[0] ?? '').filter((f) => f !== '' && f !== '(resource)'))].slice(0, 3);
  const where = fields.length ? ` (in ${fields.join(', ')})` : '';
  return `${recordKindText(resourceType)} from the central record could not be read${where}. It is not shown; the record says so where it matters.`;
}
