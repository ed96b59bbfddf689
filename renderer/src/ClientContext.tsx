import { createContext, useContext } from 'react';
import { type ContractClient } from './client';

/** The contract client, provided once at the root so screens never construct their own. */
export const ClientContext = createContext<ContractClient | null>(null);

export function useClient(): ContractClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('ClientContext is missing: render inside <ClientContext value={client}>.');
  return client;
}
