import { randomBytes } from 'node:crypto';
import type { DeviceStatusView, PendingWorkView } from '../../core/securityViews';
import type { AuditAction } from '../../core/auditEvent';
import { AppError } from '../../core/errors';
import type { SignInMode } from '../../core/sessionRules';
import type { LocalStore } from '../../db/localStore';
import type { AccessTokens } from '../identity/accessTokens';
import type { VerifiedIdentity } from '../identity/onlineSignIn';
import type { KnownUser, UserDirectory } from '../identity/userDirectory';
import { clearWipeMarker, readDeviceStatus, setAsideForRecovery, shredLocalData } from '../security/deviceState';
import { ARGON2ID, deriveKey } from '../security/kdf';
import type { KeyVault } from '../security/keyVault';
import type { SecurityPolicy } from '../security/securityPolicy';
import type { SignInRecords } from '../security/signInRecords';
import type { AuditActor, AuditPort } from './auditPort';
import { createRefusalRecorder } from './refusalRecorder';
import { createSignInService } from './sessionSignIn';
import type { Session, SessionRegistry } from './sessions';

/** Who an entry names: a known user, or the device itself for background work such as a remote wipe. */
export type AuditedActor = Readonly<{ summary: AuditActor; practitionerId: string | null }>;

/** What the composition root lends the security service: the store lifecycle, audit and the user directory. */
export type SecurityHost = Readonly<{
  dataDir: string;
  policy: SecurityPolicy;
  now: () => Date;
  vault: KeyVault;
  records: SignInRecords;
  directory: UserDirectory;
  sessions: SessionRegistry;
  tokens: AccessTokens;
  openStore(keyHex: string): Promise<void>;
  closeStore(): Promise<void>;
  currentStore(): LocalStore | null;
  audit: AuditPort;
  /** Before a wipe: as much audit as the central record will take, in bounded pages. */
  uploadAuditBeforeWipe(): Promise<Readonly<{ uploaded: number; unsent: number }>>;
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
 * Sign-in (offline with a PIN; online after the identity provider), lock and unlock, recovery and
 * remote wipe (issue #4, #9).
 */
export function createSessionSecurity(host: SecurityHost) {
  const { now, vault, sessions, directory, records } = host;
  let dataKey: Buffer | null = null;
  const signInService = createSignInService({ vault, records, policy: () => host.policy, now, openDataKey: () => dataKey });
  const audit = (user: AuditedActor, action: AuditAction, purpose: string | null) =>
    host.audit.durableBeforeAnswer({ user: user.summary, practitionerId: user.practitionerId, action, patientId: null, purpose, outcome: 'success' });
  /** A failed sign-in or unlock: audited whether or not the store is open (deferred to the next write if not). */
  const auditFailure = (actor: AuditActor, practitionerId: string | null, purpose: string | null, count?: number) =>
    host.audit.recordedOrDeferred({ user: actor, practitionerId, action: 'login.failed', patientId: null, purpose, outcome: 'failure', ...(count ? { detail: { count } } : {}) });
  const refusals = createRefusalRecorder();
  /** A failure that can repeat without limit: recorded at most once a minute per kind and user, with the count. */
  const auditRepeatable = async (key: string, actor: AuditActor, practitionerId: string | null, purpose: string) => {
    const count = refusals.take(key, now());
    if (count !== null) await auditFailure(actor, practitionerId, purpose, count);
  };
  /** Wrong PINs are each recorded; a PIN refused unread because of the wait is recorded as a refusal. */
  async function auditPinFailure(error: unknown, actor: AuditActor, practitionerId: string | null, purpose: string) {
    if (!(error instanceof AppError)) return;
    if (error.code === 'wrong-pin') await auditFailure(actor, practitionerId, purpose);
    if (error.code === 'too-many-attempts') await auditRepeatable(`wait:${actor.userId}`, actor, practitionerId, `${purpose}: refused during the wait after wrong PINs`);
  }

  const deviceStatus = (): DeviceStatusView => readDeviceStatus(host.dataDir, vault);
  const known = (session: Session): AuditedActor => ({ summary: session.user, practitionerId: session.practitionerId });

  /** Enrolled on this device and named in its directory: who may sign in offline. */
  const enrolledUsers = (): KnownUser[] => directory.list().filter((u) => vault.isEnrolled(u.summary.userId));

  async function startSession(user: KnownUser, key: string, mode: SignInMode): Promise<Session> {
    await host.openStore(key);
    dataKey = Buffer.from(key, 'hex');
    // Shift change: whoever left a locked session behind is signed out; their work stays in the store.
    sessions.endLockedExcept(user.summary.userId);
    await audit({ summary: user.summary, practitionerId: user.practitionerId }, 'login', mode === 'online' ? 'online sign-in' : 'offline sign-in');
    return sessions.start(user.summary, user.practitionerId, now());
  }

  /** Offline sign-in: a user this device enrolled, with their PIN, within the re-auth deadline. */
  async function signIn(userId: string, pin: string): Promise<Session> {
    const device = deviceStatus();
    if (device.state !== 'ready') throw new AppError('online-sign-in-required', device.message);
    const known = directory.get(userId);
    // Known here but not on the current key (after a key rotation or recovery): they enrol again online.
    if (known && !vault.isEnrolled(userId)) throw new AppError('online-sign-in-required', 'Sign in online to use OnScene on this device again: its key has changed since you last signed in.');
    const user = vault.isEnrolled(userId) ? known : null;
    if (!user) {
      // Guessing user ids is a failed sign-in too (DESIGN §5); the same answer as a wrong PIN, in the
      // same time (one argon2id derivation, as a real PIN check costs), so ids cannot be probed (issue #10).
      await deriveKey(pin, randomBytes(16), ARGON2ID);
      // One bucket for every unknown id: varying the id must not get round the limit.
      await auditRepeatable('unknown', unknownSignInActor(userId), null, 'unknown user');
      throw new AppError('wrong-pin', NO_SUCH_USER);
    }
    let key: string;
    try {
      key = await signInService.checkOffline(userId, pin);
    } catch (error) {
      await auditPinFailure(error, user.summary, user.practitionerId, 'offline sign-in');
      throw error;
    }
    return startSession(user, key, 'offline');
  }

  /** A wiped or unrecoverable device starts again at a verified online sign-in: old files set aside, never deleted. */
  async function prepareFreshStart(): Promise<void> {
    const state = deviceStatus().state;
    if (state !== 'wiped' && state !== 'needs-recovery') return;
    await host.closeStore();
    dataKey = null;
    if (state === 'needs-recovery') setAsideForRecovery(host.dataDir, now());
    clearWipeMarker(host.dataDir);
  }

  /**
   * Online sign-in, after the identity provider authenticated the user and the central record named
   * their role: their PIN (or, at enrolment, the PIN they choose) opens the store. Only this path enrols.
   */
  async function completeOnline(identity: VerifiedIdentity, pin: string): Promise<Session> {
    const { user } = identity;
    await prepareFreshStart();
    let key: string;
    try {
      key = await signInService.checkAfterIdentity(user.summary.userId, pin);
    } catch (error) {
      await auditPinFailure(error, user.summary, user.practitionerId, 'online sign-in');
      throw error;
    }
    directory.put(user); // the IdP and the central record's current word on name and role
    host.tokens.set(user.summary.userId, identity.tokens);
    return startSession(user, key, 'online');
  }

  async function lock(session: Session, reason: 'user' | 'inactivity' | 'os'): Promise<void> {
    if (!session.isLocked) sessions.lock(session.token);
    const purpose = reason === 'inactivity' ? 'locked after inactivity' : reason === 'os' ? 'locked with the computer (screen lock or suspend)' : 'locked by user';
    await host.audit.recordedOrDeferred({ user: session.user, practitionerId: session.practitionerId, action: 'session.lock', patientId: null, purpose, outcome: 'success' });
  }

  /** Only the session's own user's PIN unlocks it, under the same back-off as sign-in. */
  async function unlock(session: Session, pin: string): Promise<Session> {
    try {
      await signInService.checkOffline(session.user.userId, pin);
    } catch (error) {
      await auditPinFailure(error, session.user, session.practitionerId, 'unlock');
      throw error;
    }
    const unlocked = sessions.unlock(session.token);
    if (!unlocked) throw new AppError('unauthenticated', 'Your session has ended. Sign in again.');
    await audit(known(session), 'session.unlock', null);
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

  /** Audit the wipe, upload what audit we can, end every session, then crypto-shred. */
  async function wipe(user: AuditedActor): Promise<void> {
    let outcome = { uploaded: 0, unsent: 0 };
    if (host.currentStore()) {
      await audit(user, 'wipe', 'remote wipe instruction from the central record').catch(() => undefined); // the wipe goes ahead regardless
      outcome = await host.uploadAuditBeforeWipe();
    }
    sessions.endAll();
    host.tokens.dropAll();
    await host.closeStore();
    dataKey = null;
    directory.clear();
    shredLocalData(host.dataDir, vault, { wipedAt: now().toISOString(), auditUploaded: outcome.uploaded, auditUnsent: outcome.unsent });
  }

  return { deviceStatus, enrolledUsers, signIn, completeOnline, lock, unlock, pendingWork, wipe, signInService };
}
export type SessionSecurity = ReturnType<typeof createSessionSecurity>;
