import type { DeviceStatusView, PendingWorkView } from '../../contract/securityViews';
import type { UserSummary } from '../../contract/views';
import { renderAuditEvent } from '../../core/auditEntry';
import type { AuditAction } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import { EMPTY_SIGN_IN_RECORD, type SignInMode, recordSuccess } from '../../core/sessionRules';
import type { LocalStore } from '../../db/localStore';
import type { AppConfig } from '../config';
import { createCentralSearch } from '../security/centralSearch';
import { clearWipeMarker, readDeviceStatus, setAsideForRecovery, shredLocalData } from '../security/deviceState';
import type { KeyVault } from '../security/keyVault';
import { createCentralAuthenticator } from '../security/onlineAuth';
import { hasWipeInstruction, uploadAuditBeforeWipe } from '../security/remoteWipe';
import { type SecurityPolicy, readSecurityPolicy } from '../security/securityPolicy';
import { openSignInRecords } from '../security/signInRecords';
import type { KnownUser } from './appState';
import { createSignInService } from './sessionSignIn';
import type { Session, SessionRegistry } from './sessions';

type AuditRequest = Readonly<{
  user: UserSummary;
  practitionerId: string | null;
  action: AuditAction;
  patientId: string | null;
  purpose: string | null;
  outcome: 'success' | 'failure';
}>;

/** What AppState lends the security service: its store lifecycle and its audit. */
export type SecurityHost = Readonly<{
  config: AppConfig & { centralUrl: string };
  users: readonly KnownUser[];
  now: () => Date;
  vault: KeyVault;
  sessions: SessionRegistry;
  openStore(keyHex: string, user: KnownUser): Promise<void>;
  closeStore(): Promise<void>;
  currentStore(): LocalStore | null;
  appendAudit(request: AuditRequest): unknown;
  policy?: SecurityPolicy;
}>;

const NO_SUCH_USER = 'That user and PIN do not match. Check the PIN and try again.';

/**
 * Sign-in (offline and online), lock and unlock, recovery, and remote wipe (issue #4): the
 * security half of AppState, kept apart so AppState stays the store/sync wiring.
 */
export function createSessionSecurity(host: SecurityHost) {
  const { config, now, vault, sessions } = host;
  const policy = host.policy ?? readSecurityPolicy(process.env);
  const records = openSignInRecords(config.dataDir);
  const central = createCentralSearch(config.centralUrl, config.centralToken);
  let dataKey: Buffer | null = null;
  const signInService = createSignInService({
    vault,
    records,
    policy: () => policy,
    now,
    authenticator: () => createCentralAuthenticator(central),
    openDataKey: () => dataKey,
  });
  const audit = (user: KnownUser, action: AuditAction, purpose: string | null, outcome: 'success' | 'failure' = 'success') =>
    host.appendAudit({ user: user.summary, practitionerId: user.practitionerId, action, patientId: null, purpose, outcome });

  const deviceStatus = (): DeviceStatusView => readDeviceStatus(config.dataDir, vault);

  /** Online sign-in on a wiped or unrecoverable device starts it again: old files set aside, never deleted. */
  async function prepareFreshStart(user: KnownUser): Promise<void> {
    const state = deviceStatus().state;
    if (state !== 'wiped' && state !== 'needs-recovery') return;
    await signInService.verifyOnline(user);
    await host.closeStore();
    dataKey = null;
    if (state === 'needs-recovery') setAsideForRecovery(config.dataDir, now());
    clearWipeMarker(config.dataDir);
  }

  async function signIn(userId: string, pin: string, mode: SignInMode = 'offline'): Promise<Session> {
    const user = host.users.find((u) => u.summary.userId === userId);
    if (!user) throw new AppError('wrong-pin', NO_SUCH_USER);
    const device = deviceStatus();
    if (mode === 'offline' && device.state !== 'ready') throw new AppError('online-sign-in-required', device.message);
    if (mode === 'online') await prepareFreshStart(user);
    let key: string;
    try {
      key = mode === 'online' ? await signInService.checkOnline(user, pin) : await signInService.checkOffline(userId, pin);
    } catch (error) {
      if (host.currentStore() && error instanceof AppError && error.code === 'wrong-pin') audit(user, 'login.failed', null, 'failure');
      throw error;
    }
    await host.openStore(key, user);
    dataKey = Buffer.from(key, 'hex');
    // Shift change: whoever left a locked session behind is signed out; their work stays in the store.
    sessions.endLockedExcept(userId);
    audit(user, 'login', mode === 'online' ? 'online sign-in' : 'offline sign-in');
    return sessions.start(user.summary, user.practitionerId, now());
  }

  function known(session: Session): KnownUser {
    return { summary: session.user, practitionerId: session.practitionerId };
  }

  function lock(session: Session, reason: 'user' | 'inactivity'): void {
    if (!session.isLocked) sessions.lock(session.token);
    audit(known(session), 'session.lock', reason === 'inactivity' ? 'locked after inactivity' : 'locked by user');
  }

  /** Only the session's own user's PIN unlocks it, under the same back-off as sign-in. */
  async function unlock(session: Session, pin: string): Promise<Session> {
    try {
      await signInService.checkOffline(session.user.userId, pin);
    } catch (error) {
      if (error instanceof AppError && error.code === 'wrong-pin') audit(known(session), 'login.failed', 'unlock', 'failure');
      throw error;
    }
    const unlocked = sessions.unlock(session.token);
    if (!unlocked) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
    audit(known(session), 'session.unlock', null);
    return unlocked;
  }

  /** What this user would leave behind unsynced: kept and uploaded under their name after they sign out. */
  async function pendingWork(session: Session): Promise<PendingWorkView> {
    const store = host.currentStore();
    if (!store) return { unsyncedRecords: 0, unsentAudit: 0 };
    const practitioner = session.practitionerId ? `Practitioner/${session.practitionerId}` : null;
    const outbox = await store.outbox.find().exec();
    // Outbox entries name their author inside the resource (performer/recorder/author), which is what the server is sent.
    const mine = practitioner ? outbox.filter((doc) => JSON.stringify(doc.toJSON().resource).includes(`"${practitioner}"`)).length : 0;
    const unsentAudit = store.audit.pending(10_000).filter((row) => row.userId === session.user.userId).length;
    return { unsyncedRecords: mine, unsentAudit };
  }

  /** Demo enrolment at first start stands in for online enrolment: the embedded sandbox is the central record. */
  async function enrolFresh(users: readonly { userId: string; pin: string }[]): Promise<void> {
    if (deviceStatus().state !== 'not-enrolled') return;
    await vault.enrol(users);
    for (const user of users) records.put(user.userId, recordSuccess(EMPTY_SIGN_IN_RECORD, now(), 'online'));
  }

  /** After each sync: has the central record told this device to wipe itself? */
  async function checkRemoteWipe(deviceId: string, user: KnownUser): Promise<boolean> {
    let instructed = false;
    try {
      instructed = await hasWipeInstruction(central, deviceId);
    } catch {
      return false; // no answer is not an instruction; the next sync asks again
    }
    if (instructed) await wipe(user);
    return instructed;
  }

  /** Audit the wipe, upload what audit we can, end every session, then crypto-shred. */
  async function wipe(user: KnownUser): Promise<void> {
    const store = host.currentStore();
    let uploaded = 0;
    let unsent = 0;
    if (store) {
      audit(user, 'wipe', 'remote wipe instruction from the central record');
      const pending = store.audit.pending(10_000);
      const events = pending.map((r) =>
        renderAuditEvent(
          { eventId: r.eventId, recordedAt: r.recordedAt, action: r.action, userId: r.userId, patientId: r.patientId, patientNhs: r.patientNhs },
          r.body,
          { seq: r.seq, prevHash: r.prevHash, hash: r.hash },
        ),
      );
      uploaded = await uploadAuditBeforeWipe(config.centralUrl, config.centralToken, events);
      unsent = pending.length - uploaded;
    }
    sessions.endAll();
    await host.closeStore();
    dataKey = null;
    shredLocalData(config.dataDir, vault, { wipedAt: now().toISOString(), auditUploaded: uploaded, auditUnsent: unsent });
  }

  return { policy, records, deviceStatus, signIn, lock, unlock, pendingWork, enrolFresh, checkRemoteWipe, wipe, signInService };
}
export type SessionSecurity = ReturnType<typeof createSessionSecurity>;
