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
import type { AuditActor, AuditRequest } from './auditService';
import { createSignInService } from './sessionSignIn';
import type { Session, SessionRegistry } from './sessions';

/** Who an entry names: a known user, or the device itself for background work such as a remote wipe. */
export type AuditedActor = Readonly<{ summary: AuditActor; practitionerId: string | null }>;

/** What AppState lends the security service: its store lifecycle and its audit. */
export type SecurityHost = Readonly<{
  config: AppConfig & { centralUrl: string };
  users: readonly KnownUser[];
  now: () => Date;
  vault: KeyVault;
  sessions: SessionRegistry;
  openStore(keyHex: string): Promise<void>;
  closeStore(): Promise<void>;
  currentStore(): LocalStore | null;
  appendAudit(request: AuditRequest): unknown;
  /** For events that can happen while the device is locked (failed sign-ins): written now, or at the next unlock. Never throws. */
  appendAuditOrDefer(request: AuditRequest): Promise<void>;
  policy?: SecurityPolicy;
}>;

const NO_SUCH_USER = 'That user and PIN do not match. Check the PIN and try again.';

/** A user id as the sign-in form sends it: ids are short and plain, so anything else is not recorded verbatim. */
const PLAIN_USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Who a failed sign-in for an unknown user is recorded under. A user id is not PHI, but the field is
 * free text: someone could type a name or a PIN into it, so only a plain, short id is kept; anything
 * else is recorded as "unrecognised". It is never echoed in the error.
 */
export function unknownSignInActor(typed: string): AuditActor {
  return { userId: PLAIN_USER_ID.test(typed) ? typed : 'unrecognised', role: null };
}

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
  const audit = (user: AuditedActor, action: AuditAction, purpose: string | null, outcome: 'success' | 'failure' = 'success') =>
    host.appendAudit({ user: user.summary, practitionerId: user.practitionerId, action, patientId: null, purpose, outcome });
  /** A failed sign-in or unlock: audited whether or not the store is open (deferred to the next unlock if not). */
  const auditFailure = (actor: AuditActor, practitionerId: string | null, purpose: string | null) =>
    host.appendAuditOrDefer({ user: actor, practitionerId, action: 'login.failed', patientId: null, purpose, outcome: 'failure' });

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
    if (!user) {
      // Guessing user ids is a failed sign-in too (DESIGN §5); the same answer as a wrong PIN, so ids cannot be probed.
      await auditFailure(unknownSignInActor(userId), null, 'unknown user');
      throw new AppError('wrong-pin', NO_SUCH_USER);
    }
    const device = deviceStatus();
    if (mode === 'offline' && device.state !== 'ready') throw new AppError('online-sign-in-required', device.message);
    if (mode === 'online') await prepareFreshStart(user);
    let key: string;
    try {
      key = mode === 'online' ? await signInService.checkOnline(user, pin) : await signInService.checkOffline(userId, pin);
    } catch (error) {
      if (error instanceof AppError && error.code === 'wrong-pin') await auditFailure(user.summary, user.practitionerId, mode === 'online' ? 'online sign-in' : 'offline sign-in');
      throw error;
    }
    await host.openStore(key);
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
      if (error instanceof AppError && error.code === 'wrong-pin') await auditFailure(session.user, session.practitionerId, 'unlock');
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
  async function checkRemoteWipe(deviceId: string, user: AuditedActor): Promise<boolean> {
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
  async function wipe(user: AuditedActor): Promise<void> {
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
