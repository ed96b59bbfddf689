import type { Handlers } from '../dispatch';
import { createAdminHandlers } from './adminHandlers';
import { createAuditHandlers } from './auditHandlers';
import { createIncidentHandlers } from './incidentHandlers';
import { createRecordHandlers } from './recordHandlers';
import { createSearchHandlers } from './searchHandlers';
import type { Services } from './services';
import { createSessionHandlers } from './sessionHandlers';
import { createSyncHandlers } from './syncHandlers';
import { createTriageHandlers } from './triageHandlers';

/**
 * The contract's handler table: one line per method, each naming the module (one per noun) that
 * serves it. `satisfies Handlers` makes a method missing here a type error.
 */
export function createHandlers(s: Services): Handlers {
  const session = createSessionHandlers(s);
  const incidents = createIncidentHandlers(s);
  const records = createRecordHandlers(s);
  const search = createSearchHandlers(s);
  const sync = createSyncHandlers(s);
  const audit = createAuditHandlers(s);
  const admin = createAdminHandlers(s);
  const triage = createTriageHandlers(s);
  return {
    'session.users': session['session.users'],
    'session.signIn': session['session.signIn'],
    'session.signOut': session['session.signOut'],
    'session.current': session['session.current'],
    'session.signInStatus': session['session.signInStatus'],
    'session.onlineBegin': session['session.onlineBegin'],
    'session.onlineTicket': session['session.onlineTicket'],
    'session.onlineComplete': session['session.onlineComplete'],
    'session.policy': session['session.policy'],
    'session.heartbeat': session['session.heartbeat'],
    'session.lock': session['session.lock'],
    'session.unlock': session['session.unlock'],
    'session.pendingWork': session['session.pendingWork'],
    'incidents.list': incidents['incidents.list'],
    'record.open': records['record.open'],
    'record.openWithPurpose': records['record.openWithPurpose'],
    'access.breakGlass': records['access.breakGlass'],
    'patients.lookup': search['patients.lookup'],
    'sync.status': sync['sync.status'],
    'sync.run': sync['sync.run'],
    'conflicts.list': sync['conflicts.list'],
    'conflicts.resolve': sync['conflicts.resolve'],
    'purged.list': sync['purged.list'],
    'audit.mine': audit['audit.mine'],
    'audit.breakGlassReview': audit['audit.breakGlassReview'],
    'audit.patientReport': audit['audit.patientReport'],
    'device.status': admin['device.status'],
    'triage.start': triage['triage.start'],
    'triage.startUnidentified': triage['triage.startUnidentified'],
    'triage.open': triage['triage.open'],
    'triage.list': triage['triage.list'],
    'triage.addSet': triage['triage.addSet'],
    'triage.saveSet': triage['triage.saveSet'],
    'triage.recordSet': triage['triage.recordSet'],
    'triage.correctSet': triage['triage.correctSet'],
    'triage.discardDraft': triage['triage.discardDraft'],
    'triage.saveDisposition': triage['triage.saveDisposition'],
    'triage.saveHandover': triage['triage.saveHandover'],
    'triage.finish': triage['triage.finish'],
    'triage.printed': triage['triage.printed'],
  } satisfies Handlers;
}
