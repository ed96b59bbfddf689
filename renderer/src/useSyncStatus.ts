/** Sync status for the signed-in user: initial fetch, live `sync.changed` events and "Sync now". */
import { useCallback, useEffect, useState } from 'react';
import { type SyncStatus } from '../../contract';
import { type ContractClient } from './client';

export type SyncState = Readonly<{
  status: SyncStatus | null;
  callError: string | null;
  isRequesting: boolean;
  syncNow: () => void;
}>;

export function useSyncStatus(client: ContractClient, isSignedIn: boolean): SyncState {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [callError, setCallError] = useState<string | null>(null);
  const [isRequesting, setIsRequesting] = useState(false);

  useEffect(() => {
    if (!isSignedIn) {
      setStatus(null);
      setCallError(null);
      return;
    }
    let isCurrent = true;
    const unsubscribe = client.onEvent((event) => {
      if (event.name === 'sync.changed' && isCurrent) {
        setStatus(event.payload);
        setCallError(null);
      }
    });
    void client.call('sync.status', {}).then((result) => {
      if (!isCurrent) return;
      if (result.ok) setStatus(result.value);
      else setCallError(result.error.message);
    });
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [client, isSignedIn]);

  const syncNow = useCallback(() => {
    setIsRequesting(true);
    setCallError(null);
    void client.call('sync.run', {}).then((result) => {
      setIsRequesting(false);
      if (result.ok) setStatus(result.value);
      else setCallError(result.error.message);
    });
  }, [client]);

  return { status, callError, isRequesting, syncNow };
}
