import { AppError } from '../../core/errors';
import { type SessionPolicy, type SignInGate, type SignInMode, PIN_RULE_MESSAGE, gateMessage, isAcceptablePin, recordFailure, recordSuccess, reauthDeadline, signInGate } from '../../core/sessionRules';
import type { KeyVault } from '../security/keyVault';
import type { SignInRecords } from '../security/signInRecords';
import type { SignInGateView } from '../../contract/securityViews';

export type SignInServiceDeps = Readonly<{
  vault: KeyVault;
  records: SignInRecords;
  policy: () => SessionPolicy;
  now: () => Date;
  /** The data key while the store is open (enrolling a new user online needs it). */
  openDataKey: () => Buffer | null;
}>;

const gateError = (gate: Exclude<SignInGate, { kind: 'open' }>) =>
  new AppError(gate.kind === 'wait' ? 'too-many-attempts' : 'online-sign-in-required', gateMessage(gate));

/**
 * PIN checks under the back-off and re-auth rules (core/sessionRules.ts), for sign-in and unlock.
 * Every wrong PIN is counted before the answer goes back, so parallel guesses cannot skip the wait.
 */
export function createSignInService(deps: SignInServiceDeps) {
  const { vault, records, now } = deps;

  function gate(userId: string, mode: SignInMode): SignInGate {
    return signInGate(records.get(userId), now(), deps.policy(), mode);
  }

  function status(userId: string): SignInGateView {
    const current = gate(userId, 'offline');
    return {
      state: current.kind,
      retryAt: current.kind === 'wait' ? current.retryAt : null,
      waitMs: current.kind === 'wait' ? current.waitMs : null,
      reason: current.kind === 'online-required' ? current.reason : null,
      message: gateMessage(current),
      reauthDueAt: reauthDeadline(records.get(userId), deps.policy()),
      isEnrolled: vault.isEnrolled(userId),
    };
  }

  /** A wrong PIN: counted, and the answer says what happens next (a wait, or online sign-in). */
  function failure(userId: string, mode: SignInMode): AppError {
    records.put(userId, recordFailure(records.get(userId), now()));
    const next = gate(userId, mode);
    if (next.kind !== 'open') return new AppError('wrong-pin', `That PIN is not right. ${gateMessage(next)}`);
    return new AppError('wrong-pin', 'That user and PIN do not match. Check the PIN and try again.');
  }

  // Serialise PIN checks per user: a burst of parallel guesses is judged one at a time.
  const queues = new Map<string, Promise<unknown>>();
  function serial<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const run = (queues.get(userId) ?? Promise.resolve()).then(task, task);
    queues.set(userId, run.catch(() => undefined));
    return run;
  }

  /** Offline PIN check (sign-in or unlock): the data key as hex, or a typed error. */
  const checkOffline = (userId: string, pin: string): Promise<string> =>
    serial(userId, async () => {
      const current = gate(userId, 'offline');
      if (current.kind !== 'open') throw gateError(current);
      const key = await vault.unlock(userId, pin);
      if (!key) throw failure(userId, 'offline');
      records.put(userId, recordSuccess(records.get(userId), now(), 'offline'));
      return key;
    });

  /**
   * After the identity provider authenticated the user: their PIN unwraps their copy of the data
   * key (still under the back-off), or, for a user this device has not enrolled, the PIN they chose
   * wraps it. Either way the re-auth clock restarts. Nobody reaches this without a verified identity.
   */
  const checkAfterIdentity = (userId: string, pin: string): Promise<string> =>
    serial(userId, async () => {
      const current = gate(userId, 'online');
      if (current.kind !== 'open') throw gateError(current);
      let key: string | null;
      if (vault.isEnrolled(userId)) {
        key = await vault.unlock(userId, pin);
        if (!key) throw failure(userId, 'online');
      } else {
        key = await enrol(userId, pin);
      }
      records.put(userId, recordSuccess(records.get(userId), now(), 'online'));
      return key;
    });

  async function enrol(userId: string, pin: string): Promise<string> {
    if (!isAcceptablePin(pin)) throw new AppError('bad-request', PIN_RULE_MESSAGE);
    const hasUsers = vault.enrolledUserIds().length > 0;
    const open = deps.openDataKey();
    if (hasUsers && !open) {
      throw new AppError('forbidden', 'This device is enrolled to other crew members. Ask one of them to sign in first, then sign in online.');
    }
    await vault.enrol([{ userId, pin }], open ?? undefined);
    const key = await vault.unlock(userId, pin);
    if (!key) throw new AppError('wrong-key', 'Enrolment did not complete. Try again.');
    return key;
  }

  return { gate, status, checkOffline, checkAfterIdentity };
}
export type SignInService = ReturnType<typeof createSignInService>;
