import type { AuditRequest, AuditService } from './auditService';

export type { AuditActor, AuditRequest } from './auditService';

/**
 * The one way services write audit entries (DESIGN §5). Two verbs, named for what they promise:
 * - durableBeforeAnswer: on disk before it resolves, sharing one fsync with concurrent callers
 *   (group commit). Every call that returns patient data awaits it first; a rejection
 *   (AppError 'audit-failed') means the data is not returned.
 * - recordedOrDeferred: written now, or kept in memory and written with the next entry when the
 *   store is locked or the write fails (a failed sign-in, a lock). Never throws.
 */
export type AuditPort = Readonly<{
  durableBeforeAnswer(request: AuditRequest): Promise<void>;
  recordedOrDeferred(request: AuditRequest): Promise<void>;
}>;

export function auditPortOf(service: AuditService): AuditPort {
  return {
    durableBeforeAnswer: async (request) => {
      await service.append(request);
    },
    recordedOrDeferred: (request) => service.appendOrDefer(request),
  };
}
