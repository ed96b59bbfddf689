/**
 * The renderer's only way to the application process: a typed contract client over one of two
 * transports, chosen at runtime (DESIGN.md §2: the renderer never touches the database).
 * - Electron: the preload's `window.onscene` bridge.
 * - Web shell: `POST /api/call` and `EventSource('/api/events')` on 127.0.0.1, authorised by the
 *   per-launch token that arrives once in the URL fragment.
 */
import {
  events,
  methods,
  type CallEnvelope,
  type EventName,
  type EventPayload,
  type MethodName,
  type ParamsOf,
  type Result,
  type ResultOf,
} from '../../contract';
import { ERROR_CODES, type AppErrorShape, type ErrorCode } from '../../core/errors';

/** What the Electron preload exposes (contextBridge), and nothing more. */
export type OnSceneBridge = Readonly<{
  call(envelope: CallEnvelope): Promise<Result<unknown>>;
  onEvent(cb: (name: string, payload: unknown) => void): () => void;
}>;

/** Moves envelopes and events; knows nothing of sessions or schemas. */
export type Transport = Readonly<{
  send(envelope: CallEnvelope): Promise<Result<unknown>>;
  subscribe(cb: (name: string, payload: unknown) => void): () => void;
}>;

export type AppEvent = { [E in EventName]: Readonly<{ name: E; payload: EventPayload<E> }> }[EventName];

export type ContractClient = Readonly<{
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>>;
  onEvent(cb: (event: AppEvent) => void): () => void;
  /** Called when main says the session is gone (signed out elsewhere, expired). */
  onSessionLost(cb: () => void): () => void;
  /** Called when main says the session is locked (inactivity, or another window locked it): the token is kept for unlock. */
  onLocked(cb: () => void): () => void;
  hasSession(): boolean;
}>;

const MESSAGES = {
  offline: 'OnScene cannot reach its service on this device. Check OnScene is still running, then try again.',
  unreadable: 'OnScene received an answer it could not read. Try again; if it keeps happening, tell support.',
  noLaunchToken: 'This window was not opened by OnScene. Close it and start OnScene again.',
} as const;

const error = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Accepts only a well-formed Result envelope; anything else is reported as unreadable. */
export function toResult(body: unknown): Result<unknown> {
  if (!isRecord(body)) return error('internal', MESSAGES.unreadable);
  if (body.ok === true && 'value' in body) return { ok: true, value: body.value };
  if (body.ok === false && isRecord(body.error)) {
    const { code, message } = body.error;
    if (typeof message !== 'string') return error('internal', MESSAGES.unreadable);
    const known = (ERROR_CODES as readonly string[]).includes(String(code));
    return error(known ? (code as ErrorCode) : 'internal', message);
  }
  return error('internal', MESSAGES.unreadable);
}

/** Wraps a transport with the session token, result validation and session-loss handling. */
export function createContractClient(transport: Transport): ContractClient {
  let sessionToken: string | undefined;
  const sessionLost = new Set<() => void>();
  const locked = new Set<() => void>();

  async function call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<Result<ResultOf<M>>> {
    const envelope: CallEnvelope = sessionToken ? { method, params, sessionToken } : { method, params };
    const raw = await transport.send(envelope).catch((): Result<never> => error('offline', MESSAGES.offline));
    if (method === 'session.signOut') sessionToken = undefined;
    if (!raw.ok) {
      if (raw.error.code === 'unauthenticated' && methods[method].needsSession) {
        sessionToken = undefined;
        for (const cb of sessionLost) cb();
      }
      if (raw.error.code === 'locked') for (const cb of locked) cb();
      return raw;
    }
    const parsed = methods[method].result.safeParse(raw.value);
    if (!parsed.success) return error('internal', MESSAGES.unreadable);
    // Parsed by this method's own result schema, so the narrowing is sound.
    const value = parsed.data as ResultOf<M>;
    if (method === 'session.signIn' || method === 'session.onlineComplete') sessionToken = (value as ResultOf<'session.signIn'>).sessionToken;
    return { ok: true, value };
  }

  function onEvent(cb: (event: AppEvent) => void): () => void {
    return transport.subscribe((name, payload) => {
      if (!Object.hasOwn(events, name)) return;
      const eventName = name as EventName;
      const parsed = events[eventName].safeParse(payload);
      if (parsed.success) cb({ name: eventName, payload: parsed.data } as AppEvent);
    });
  }

  function onSessionLost(cb: () => void): () => void {
    sessionLost.add(cb);
    return () => sessionLost.delete(cb);
  }

  function onLocked(cb: () => void): () => void {
    locked.add(cb);
    return () => locked.delete(cb);
  }

  return { call, onEvent, onSessionLost, onLocked, hasSession: () => sessionToken !== undefined };
}

export function createElectronTransport(bridge: OnSceneBridge): Transport {
  return {
    send: (envelope) => bridge.call(envelope),
    subscribe: (cb) => bridge.onEvent(cb),
  };
}

type LaunchTokenDeps = Readonly<{
  location: Readonly<{ hash: string; pathname: string; search: string }>;
  history: Readonly<{ replaceState(data: unknown, unused: string, url?: string): void }>;
  storage: Readonly<{ getItem(key: string): string | null; setItem(key: string, value: string): void }>;
}>;

export const LAUNCH_TOKEN_KEY = 'onscene.launchToken';

/**
 * Takes the launch token from `#launch=<token>` once, keeps it for this tab in sessionStorage
 * and removes it from the address bar, so it is not left in history or shown on screen.
 */
export function readLaunchToken({ location, history, storage }: LaunchTokenDeps): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('launch');
  if (fromHash) {
    storage.setItem(LAUNCH_TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return storage.getItem(LAUNCH_TOKEN_KEY) ?? undefined;
}

type EventSourceLike = Readonly<{
  addEventListener(type: string, listener: (event: MessageEvent) => void): void;
  close(): void;
}>;

export type WebTransportDeps = Readonly<{
  launchToken: string | undefined;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  openEvents: (url: string) => EventSourceLike;
}>;

async function postCall(deps: WebTransportDeps, envelope: CallEnvelope): Promise<Result<unknown>> {
  if (!deps.launchToken) return error('forbidden', MESSAGES.noLaunchToken);
  let response: Response;
  try {
    response = await deps.fetch('/api/call', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${deps.launchToken}` },
      body: JSON.stringify(envelope),
      cache: 'no-store',
    });
  } catch {
    return error('offline', MESSAGES.offline);
  }
  // The shell answers with a Result body on 2xx and 4xx alike; a body we cannot parse is an error.
  const body: unknown = await response.json().catch(() => undefined);
  if (body === undefined) return error(response.ok ? 'internal' : 'server-error', MESSAGES.unreadable);
  return toResult(body);
}

export function createWebTransport(deps: WebTransportDeps): Transport {
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let source: EventSourceLike | undefined;

  function open(): void {
    if (source || !deps.launchToken) return;
    source = deps.openEvents(`/api/events?launch=${encodeURIComponent(deps.launchToken)}`);
    for (const name of Object.keys(events)) {
      source.addEventListener(name, (event) => {
        let payload: unknown;
        try {
          payload = JSON.parse(String(event.data));
        } catch {
          return;
        }
        for (const cb of listeners) cb(name, payload);
      });
    }
  }

  return {
    send: (envelope) => postCall(deps, envelope),
    subscribe(cb) {
      listeners.add(cb);
      open();
      return () => {
        listeners.delete(cb);
        if (listeners.size === 0 && source) {
          source.close();
          source = undefined;
        }
      };
    },
  };
}

/** Picks the transport for where the renderer is running. */
export function createClientForWindow(win: Window & { onscene?: OnSceneBridge }): ContractClient {
  if (win.onscene) return createContractClient(createElectronTransport(win.onscene));
  const launchToken = readLaunchToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return createContractClient(
    createWebTransport({
      launchToken,
      fetch: (input, init) => win.fetch(input, init),
      openEvents: (url) => new EventSource(url),
    }),
  );
}

export type { AppErrorShape };
