import { z } from 'zod';

/** The fault switch body (`POST /__faults`), validated because it arrives over HTTP. */
export const FaultSpecSchema = z.strictObject({
  mode: z.enum(['none', 'drop', 'delay', 'status', 'truncate']),
  status: z.union([z.literal(500), z.literal(503), z.literal(429)]).optional(),
  retryAfterS: z.number().int().min(0).max(86_400).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  afterBytes: z.number().int().min(0).optional(),
  count: z.number().int().min(1).optional(),
  pathPrefix: z.string().min(1).max(500).optional(),
});
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export const OfflineSchema = z.strictObject({ offline: z.boolean() });

/** What to do to one request, decided when it arrives. */
export type Fault =
  | Readonly<{ mode: 'none' }>
  | Readonly<{ mode: 'delay'; delayMs: number }>
  | Readonly<{ mode: 'status'; status: 500 | 503 | 429; retryAfterS: number | undefined }>
  | Readonly<{ mode: 'drop' | 'truncate'; afterBytes: number | undefined }>;

export type FaultState = Readonly<{ spec: FaultSpec; remaining: number | null; isOffline: boolean }>;

export type FaultControl = Readonly<{
  /** Sets the fault for the next `count` matching FHIR requests (all, when omitted). Throws on an invalid spec. */
  set: (spec: FaultSpec) => void;
  /** Back to normal service (mode none, online). */
  reset: () => void;
  /** No signal: every FHIR request has its socket destroyed before any response. */
  setOffline: (isOffline: boolean) => void;
  isOffline: () => boolean;
  state: () => FaultState;
  /** Decides (and counts) the fault for a request to `pathname`. */
  take: (pathname: string) => Fault;
}>;

const NONE: FaultSpec = { mode: 'none' };

/**
 * `pathPrefix` is a full path (`/fhir/Observation`) or, without a leading slash, relative to
 * the FHIR base (`Observation` means `/fhir/Observation`).
 */
function matchesPrefix(pathname: string, prefix: string | undefined, fhirPath: string): boolean {
  if (!prefix) return true;
  const full = prefix.startsWith('/') ? prefix : `${fhirPath}/${prefix}`;
  return pathname.startsWith(full);
}

function toFault(spec: FaultSpec): Fault {
  switch (spec.mode) {
    case 'none': return { mode: 'none' };
    case 'delay': return { mode: 'delay', delayMs: spec.delayMs ?? 1000 };
    case 'status': {
      const status = spec.status ?? 503;
      return { mode: 'status', status, retryAfterS: spec.retryAfterS ?? (status === 429 ? 1 : undefined) };
    }
    default: return { mode: spec.mode, afterBytes: spec.afterBytes };
  }
}

export function createFaultControl(fhirPath: string): FaultControl {
  let spec: FaultSpec = NONE;
  let remaining: number | null = null;
  let isOffline = false;
  return {
    set(next) {
      spec = FaultSpecSchema.parse(next);
      remaining = spec.mode === 'none' ? null : (spec.count ?? null);
    },
    reset() {
      spec = NONE;
      remaining = null;
      isOffline = false;
    },
    setOffline(next) {
      isOffline = next;
    },
    isOffline: () => isOffline,
    state: () => ({ spec, remaining, isOffline }),
    take(pathname) {
      if (spec.mode === 'none' || !matchesPrefix(pathname, spec.pathPrefix, fhirPath)) return { mode: 'none' };
      const fault = toFault(spec);
      if (remaining !== null) {
        remaining -= 1;
        if (remaining <= 0) {
          spec = NONE;
          remaining = null;
        }
      }
      return fault;
    },
  };
}
