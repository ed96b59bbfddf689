import type { Handlers } from '../dispatch';
import { createAdminHandlers } from './adminHandlers';
import { createAppHandlers } from './appHandlers';
import { createAuditHandlers } from './auditHandlers';
import { createCallHandlers, requireHeldPurpose } from './callHandlers';
import { createCareHandlers } from './careHandlers';
import { createIncidentHandlers } from './incidentHandlers';
import { createRecordHandlers } from './recordHandlers';
import { createSearchHandlers } from './searchHandlers';
import type { Services } from './services';
import { createSessionHandlers } from './sessionHandlers';
import { createSyncHandlers } from './syncHandlers';
import { createSyncDetailHandlers } from './syncDetailHandlers';
import { createTriageHandlers } from './triageHandlers';
import type { AccessPurpose } from '../../core/access';
import { requireSession } from './requireSession';

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
  const syncDetail = createSyncDetailHandlers(s);
  const audit = createAuditHandlers(s);
  const admin = createAdminHandlers(s);
  const triage = createTriageHandlers(s);
  const calls = createCallHandlers(s);
  const app = createAppHandlers(s);
  const care = createCareHandlers(s);
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
    // Under a call, only the call this session holds (issue #13: "End call" closes the purpose).
    'record.openWithPurpose': async (params, context) => {
      requireHeldPurpose(s, requireSession(context).token, params.purpose as AccessPurpose);
      return records['record.openWithPurpose'](params, context);
    },
    'access.breakGlass': records['access.breakGlass'],
    'patients.lookup': search['patients.lookup'],
    'patients.search': search['patients.search'],
    'patients.fetch': search['patients.fetch'],
    'calls.current': calls['calls.current'],
    'calls.start': calls['calls.start'],
    'calls.join': calls['calls.join'],
    'calls.end': calls['calls.end'],
    'sync.status': sync['sync.status'],
    'sync.run': sync['sync.run'],
    'sync.detail': syncDetail['sync.detail'],
    'conflicts.list': sync['conflicts.list'],
    'conflicts.resolve': sync['conflicts.resolve'],
    'conflicts.open': care['conflicts.open'],
    'careplans.contribute': care['careplans.contribute'],
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
    'triage.linkPatient': triage['triage.linkPatient'],
    'triage.unlinkPatient': triage['triage.unlinkPatient'],
    'app.updateStatus': app['app.updateStatus'],
    'app.restartToUpdate': app['app.restartToUpdate'],
  } satisfies Handlers;
}
