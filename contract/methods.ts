import { z } from 'zod';
import {
  auditEntryViewSchema,
  auditReportSchema,
  incidentSummarySchema,
  patientRecordViewSchema,
  purgedItemViewSchema,
  syncConflictViewSchema,
  syncStatusSchema,
  userSummarySchema,
} from './views';
import {
  accessPurposeSchema,
  breakGlassGrantSchema,
  breakGlassParamsSchema,
  deviceStatusSchema,
  patientLookupSchema,
  pendingWorkSchema,
  sessionPolicySchema,
  signInGateSchema,
} from './securityViews';
import { nhsNumberQuerySchema, searchMethods } from './searchMethods';
import { triageMethods } from './triageMethods';
import { careMethods } from './careMethods';
import { syncMethods } from './syncMethods';
import { appEvents, appMethods } from './appMethods';

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9\-.]+$/, 'must be a FHIR id');
const empty = z.object({}).strict();
const ticket = z.string().min(16).max(64).regex(/^[A-Za-z0-9_-]+$/, 'must be a sign-in ticket');

/**
 * The whole API between the UI and the application process: one params/result schema pair per
 * method. Both shells validate params against this before a handler runs.
 */
export const methods = {
  'session.users': {
    params: empty,
    result: z.object({ users: z.array(userSummarySchema), isOnlineSignInConfigured: z.boolean() }),
    needsSession: false,
  },
  'session.signIn': {
    params: z.object({ userId: z.string().min(1).max(64), pin: z.string().min(4).max(128) }).strict(),
    result: z.object({ sessionToken: z.string(), user: userSummarySchema }),
    needsSession: false,
  },
  'session.signOut': { params: empty, result: z.object({}), needsSession: true },
  'session.current': { params: empty, result: z.object({ user: userSummarySchema }), needsSession: true },
  'incidents.list': {
    params: empty,
    result: z.object({ incidents: z.array(incidentSummarySchema), isOffline: z.boolean(), syncedAt: z.string().nullable() }),
    needsSession: true,
  },
  'record.open': {
    params: z.object({ patientId: id, incidentId: id }).strict(),
    result: patientRecordViewSchema,
    needsSession: true,
  },
  'sync.status': { params: empty, result: syncStatusSchema, needsSession: true },
  'sync.run': { params: empty, result: syncStatusSchema, needsSession: true },
  // Issue #6: conflicts awaiting a clinician, and what was removed from this device.
  'conflicts.list': { params: empty, result: z.object({ conflicts: z.array(syncConflictViewSchema) }), needsSession: true },
  'conflicts.resolve': {
    // Issue #14: 'keep-server' = take theirs, 'reapply-local' = keep mine, 'combine' = both, where core/conflictMerge.ts allows.
    params: z.object({ conflictId: z.string().min(1).max(300), choice: z.enum(['keep-server', 'reapply-local', 'combine']) }).strict(),
    result: z.object({}),
    needsSession: true,
  },
  'purged.list': {
    params: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    result: z.object({ items: z.array(purgedItemViewSchema) }),
    needsSession: true,
  },
  // Issue #4: sign-in gates, online sign-in, locking, pending work, device state, break-glass.
  'session.signInStatus': { params: z.object({ userId: z.string().min(1).max(64) }).strict(), result: signInGateSchema, needsSession: false },
  // Issue #9: online sign-in with the identity provider (OIDC code + PKCE). onlineBegin gives the
  // address to send the browser to; the provider comes back to the shell's loopback callback, which
  // hands the page a ticket; onlineTicket says whose it is; onlineComplete takes their PIN (or, at
  // enrolment, the PIN they choose) and starts the session.
  'session.onlineBegin': { params: empty, result: z.object({ authorizationUrl: z.string().url() }), needsSession: false },
  'session.onlineTicket': {
    params: z.object({ ticket: ticket }).strict(),
    result: z.object({ user: userSummarySchema, isEnrolled: z.boolean(), minPinLength: z.number().int() }),
    needsSession: false,
  },
  'session.onlineComplete': {
    params: z.object({ ticket: ticket, pin: z.string().min(4).max(128) }).strict(),
    result: z.object({ sessionToken: z.string(), user: userSummarySchema }),
    needsSession: false,
  },
  'session.policy': { params: empty, result: sessionPolicySchema, needsSession: false },
  'session.heartbeat': { params: empty, result: z.object({}), needsSession: true },
  'session.lock': { params: z.object({ reason: z.enum(['user', 'inactivity']).default('user') }).strict(), result: z.object({}), needsSession: true },
  'session.unlock': { params: z.object({ pin: z.string().min(4).max(128) }).strict(), result: z.object({ user: userSummarySchema }), needsSession: true },
  'session.pendingWork': { params: empty, result: pendingWorkSchema, needsSession: true },
  'device.status': { params: empty, result: deviceStatusSchema, needsSession: false },
  'access.breakGlass': { params: breakGlassParamsSchema, result: breakGlassGrantSchema, needsSession: true },
  'patients.lookup': {
    params: z.object({ nhsNumber: nhsNumberQuerySchema, purpose: accessPurposeSchema.nullable().default(null) }).strict(),
    result: z.object({ patients: z.array(patientLookupSchema) }),
    needsSession: true,
  },
  'record.openWithPurpose': {
    params: z.object({ patientId: id, purpose: accessPurposeSchema }).strict(),
    result: patientRecordViewSchema,
    needsSession: true,
  },
  'audit.mine': {
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    result: z.object({ entries: z.array(auditEntryViewSchema) }),
    needsSession: true,
  },
  // Issue #3: for clinical leads and IG staff (roles clinician, administrator; see main/services/auditHandlers.ts).
  'audit.breakGlassReview': {
    params: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    result: auditReportSchema,
    needsSession: true,
  },
  'audit.patientReport': {
    params: z.object({ patientId: id, limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    result: auditReportSchema,
    needsSession: true,
  },
  ...triageMethods,
  ...searchMethods,
  ...careMethods,
  ...appMethods,
  ...syncMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const isMethodName = (name: string): name is MethodName => Object.hasOwn(methods, name);

/** Events pushed from main to the UI; the UI then asks again through a method. */
export const events = {
  'sync.changed': syncStatusSchema,
  'incidents.changed': z.object({}),
  // Issue #11: these patients' cached records changed (sync, purge, a local write); a screen showing one asks again.
  'record.changed': z.object({ patientIds: z.array(z.string().max(128)).max(5000) }),
  // Desktop shell: the identity provider came back to the loopback listener; the page continues with this ticket.
  'session.onlineReady': z.object({ ticket: z.string().max(64) }),
  ...appEvents,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** What a shell receives for one call: the method, its params and the caller's session. */
export const callEnvelopeSchema = z.object({
  method: z.string().max(64),
  params: z.unknown(),
  sessionToken: z.string().max(128).optional(),
});
export type CallEnvelope = z.infer<typeof callEnvelopeSchema>;
