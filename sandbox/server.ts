import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { parseSearchRequest, type WithId } from '@medplum/core';
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import { createAccessGate, newServiceToken, serviceTokenCheck } from './accessGate';
import { loadFhirDefinitions } from './definitions';
import { DEMO_USERS } from './demoCast';
import { createFaultControl, type FaultControl } from './faults';
import { createFhirService } from './fhirService';
import { generateDataset } from './generate';
import { createRequestListener, FHIR_PATH } from './httpServer';
import type { IdentityProvider } from './identity/provider';
import { createMutex, type Mutex } from './mutex';
import { SandboxRepository } from './sandboxRepository';

export type SandboxOptions = Readonly<{
  /** Patients to seed, including the 4 demo patients (default 200). */
  patients?: number;
  /** PRNG seed (default 1): same seed, same record. */
  seed?: number;
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Loopback only: the sandbox is never reachable from the network. 127.0.0.2 lets a link model
   * (sandbox/linkProxy.ts) take 127.0.0.1 on the same port in front of it.
   */
  host?: '127.0.0.1' | '127.0.0.2';
  /** Validate writes against the R4 definitions (default true). */
  validateWrites?: boolean;
  /**
   * `_include`s to answer without the included resources, as a server that does not support them
   * does (e.g. `['MedicationRequest:medication']`): tests of the client's fallback reads.
   */
  ignoredIncludes?: readonly string[];
  /**
   * Also start the sandbox identity provider (its own port) with the demo users; the result's
   * `issuer` names it. `port` 0 (default) picks a free one.
   */
  identity?: boolean | Readonly<{ accessTokenTtlSeconds?: number; port?: number }>;
  /**
   * Every FHIR request, reads too, needs `Authorization: Bearer <token>`: a live access token from
   * the identity provider or the `serviceToken`, else 401 + OperationOutcome (default false; needs
   * `identity`). Test controls under /__ stay open.
   */
  requireBearer?: boolean;
  /**
   * Every FHIR write (POST, PUT, PATCH, DELETE; not `POST [type]/_search`) needs the same kind of
   * token (default true, issue #10 item 4). `false` only for callers that do not pass a token yet.
   */
  requireWriteToken?: boolean;
}>;

/** Direct access to the record for tests: edits use the real clock, exactly like HTTP writes. */
export type SandboxData = Readonly<{
  readResource: <T extends Resource>(resourceType: T['resourceType'], id: string) => Promise<WithId<T>>;
  createResource: <T extends Resource>(resource: T) => Promise<WithId<T>>;
  /** Update, or create with the given id. */
  updateResource: <T extends Resource>(resource: T & { id: string }) => Promise<WithId<T>>;
  deleteResource: (resourceType: ResourceType, id: string) => Promise<void>;
  /** One page (up to 1000) of a search given as query parameters, e.g. `{ patient: 'Patient/pat-000001' }`. */
  search: <T extends Resource>(resourceType: T['resourceType'], query?: Record<string, string>) => Promise<WithId<T>[]>;
  /** Live (not deleted) resources of a type. */
  count: (resourceType: ResourceType) => number;
  /** The repository itself, outside the request lock: for inspection, not for writes during requests. */
  raw: SandboxRepository;
}>;

export type SandboxStats = Readonly<{ resources: number; generateMs: number; seedMs: number }>;

export type Sandbox = Readonly<{
  /** e.g. http://127.0.0.1:43121/fhir */
  baseUrl: string;
  port: number;
  faults: FaultControl;
  /** The identity provider's issuer URL when `identity` is on, e.g. http://127.0.0.1:43122 */
  issuer: string | undefined;
  /**
   * A random bearer token made at start and accepted for every request, in every mode: what the
   * app and tests send when no user has signed in online. A local test credential, never stored.
   */
  serviceToken: string;
  repo: SandboxData;
  stats: SandboxStats;
  /** Closes the listening socket and every open connection (clients get ECONNREFUSED). */
  stopListening: () => Promise<void>;
  /** Listens again on the same port. */
  startListening: () => Promise<void>;
  isListening: () => boolean;
  /** Closes the FHIR server and the identity provider. */
  close: () => Promise<void>;
}>;

function createDataHelpers(repo: SandboxRepository, mutex: Mutex): SandboxData {
  return {
    readResource: (type, id) => mutex.run(() => repo.readResource(type, id)),
    createResource: (resource) => mutex.run(() => repo.createResource(resource)),
    updateResource: (resource) => mutex.run(() => repo.updateResource(resource)),
    deleteResource: (type, id) => mutex.run(() => repo.deleteResource(type, id)),
    search: (type, query = {}) => mutex.run(() => repo.searchResources(parseSearchRequest(type, { _count: '1000', ...query }))),
    count: (type) => repo.store.countOf(type),
    raw: repo,
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function stop(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would otherwise keep serving: "not listening" must mean unreachable.
    server.closeAllConnections();
  });
}

/** The identity provider, loaded only when asked for: oidc-provider prints warnings on import (Node 20). */
async function startIdentity(identity: SandboxOptions['identity']): Promise<IdentityProvider | undefined> {
  if (!identity) return undefined;
  const { startIdentityProvider } = await import('./identity/provider');
  const settings = identity === true ? {} : identity;
  return startIdentityProvider({ users: DEMO_USERS, ...settings });
}

/** Starts the sandbox central record on 127.0.0.1, seeded with the deterministic synthetic record. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? '127.0.0.1';
  if (opts.requireBearer && !opts.identity) throw new TypeError('requireBearer needs identity: the tokens come from the sandbox identity provider');
  loadFhirDefinitions();
  let t0 = performance.now();
  const resources = generateDataset({ patients: opts.patients ?? 200, seed: opts.seed ?? 1 });
  const generateMs = performance.now() - t0;
  const repo = new SandboxRepository({ validateWrites: opts.validateWrites ?? true, ignoredIncludes: opts.ignoredIncludes ?? [] });
  t0 = performance.now();
  await repo.seed(resources);
  const stats: SandboxStats = { resources: resources.length, generateMs, seedMs: performance.now() - t0 };

  const mutex = createMutex();
  const faults = createFaultControl(FHIR_PATH);
  const closing = new AbortController();
  const server = createServer();
  // A longer idle keep-alive than Node's 5 s: clients (undici) drop an idle socket ahead of the
  // server's advertised timeout, and with 5 s a test whose event loop was held by a long in-process
  // search could send on a socket the server was just closing (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, opts.port ?? 0, host);
  const baseUrl = `http://${host}:${port}${FHIR_PATH}`;
  repo.setBaseUrl(baseUrl);
  const startListening = async (): Promise<void> => {
    if (!server.listening && !closing.signal.aborted) await listen(server, port, host);
  };
  const suspend = (resumeAfterMs: number | undefined): void => {
    void stop(server).then(() => {
      if (resumeAfterMs !== undefined) setTimeout(() => void startListening().catch(() => undefined), resumeAfterMs).unref();
    });
  };
  const service = createFhirService(repo);
  const identity = await startIdentity(opts.identity).catch(async (err: unknown) => {
    await stop(server);
    throw err;
  });
  const serviceToken = newServiceToken();
  const authorize = createAccessGate({
    check: serviceTokenCheck(serviceToken, identity?.checkAccessToken),
    requireBearer: opts.requireBearer ?? false,
    requireWriteToken: opts.requireWriteToken ?? true,
  });
  server.on('request', createRequestListener({ service, mutex, faults, baseUrl: () => baseUrl, suspend, closing: closing.signal, authorize }));
  return {
    baseUrl,
    port,
    faults,
    issuer: identity?.issuer,
    serviceToken,
    repo: createDataHelpers(repo, mutex),
    stats,
    stopListening: () => stop(server),
    startListening,
    isListening: () => server.listening,
    close: async () => {
      closing.abort();
      await Promise.all([stop(server), identity?.close()]);
    },
  };
}
