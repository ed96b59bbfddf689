import { useEffect, useState } from 'react';
import { type DeviceStatusView, type SignInGateView } from '../../contract';
import { describeWait } from '../../core/sessionRules';
import { useClient } from './ClientContext';
import { useNow } from './hooks';

export type SignInGateState = Readonly<{ mustSignInOnline: boolean; isWaiting: boolean }>;

type Props = Readonly<{
  userId: string;
  /** Bumped after each attempt so the gate is asked again. */
  refreshKey: number;
  onGate: (gate: SignInGateState) => void;
  /** The screen already says nobody has signed in here: only a wiped or unrecoverable device needs the callout. */
  isNotEnrolledQuiet?: boolean;
}>;

/**
 * What stands between this user and a PIN attempt (issue #4): a wiped or unrecoverable device,
 * a back-off wait (counted down, so the crew knows how long), or "sign in online".
 */
export function SignInLockNotice({ userId, refreshKey, onGate, isNotEnrolledQuiet = false }: Props) {
  const client = useClient();
  const now = useNow(1000);
  const [device, setDevice] = useState<DeviceStatusView | null>(null);
  const [gate, setGate] = useState<SignInGateView | null>(null);

  useEffect(() => {
    let isCurrent = true;
    void client.call('device.status', {}).then((r) => isCurrent && r.ok && setDevice(r.value));
    if (userId) void client.call('session.signInStatus', { userId }).then((r) => isCurrent && setGate(r.ok ? r.value : null));
    return () => {
      isCurrent = false;
    };
  }, [client, userId, refreshKey]);

  const remainingMs = gate?.state === 'wait' && gate.retryAt ? Math.max(0, Date.parse(gate.retryAt) - now) : 0;
  const isWaiting = remainingMs > 0;
  const mustSignInOnline = (device !== null && device.state !== 'ready') || gate?.state === 'online-required';
  useEffect(() => onGate({ mustSignInOnline, isWaiting }), [mustSignInOnline, isWaiting, onGate]);

  return (
    <>
      {device && device.state !== 'ready' && !(isNotEnrolledQuiet && device.state === 'not-enrolled') ? (
        <div className="nhsuk-warning-callout" role="status">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">{device.state === 'wiped' ? 'This device was wiped' : 'This device needs setting up'}</span>
          </h2>
          <p>{device.message}</p>
        </div>
      ) : null}
      {isWaiting ? (
        <div className="nhsuk-inset-text" role="status" aria-live="polite">
          <p>Too many wrong PINs. Wait {describeWait(remainingMs)} before trying again.</p>
        </div>
      ) : null}
      {gate?.state === 'online-required' && device?.state === 'ready' ? (
        <div className="nhsuk-inset-text" role="status">
          <p>{gate.message}</p>
        </div>
      ) : null}
    </>
  );
}
