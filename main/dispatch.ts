import { type CallEnvelope, type MethodName, type ParsedParamsOf, type ResultOf, callEnvelopeSchema, isMethodName, methods } from '../contract/methods';
import { AppError, toErrorShape } from '../core/errors';
import { type Result, fail, ok } from '../core/result';
import type { Session, SessionRegistry } from './services/sessions';

export type CallContext = Readonly<{ session: Session | null; sessionToken: string | undefined }>;
export type Handler<M extends MethodName> = (params: ParsedParamsOf<M>, context: CallContext) => Promise<ResultOf<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Logs without PHI: only the method, the error code and the error class. */
export type SafeLogger = (line: string) => void;

/**
 * The one door into the app services, shared by both shells: validates the envelope and the
 * params against the contract, checks the session, and turns every failure into a typed error.
 */
export function createDispatcher(handlers: Handlers, sessions: SessionRegistry, log: SafeLogger) {
  return async function dispatch(raw: unknown): Promise<Result<unknown>> {
    const envelope = callEnvelopeSchema.safeParse(raw);
    if (!envelope.success) return fail({ code: 'bad-request', message: 'The request was not a valid OnScene call.' });
    const { method, params, sessionToken }: CallEnvelope = envelope.data;
    // The name is not echoed: a caller-supplied string may carry PHI (issue #4 fuzz test).
    if (!isMethodName(method)) return fail({ code: 'unknown-method', message: 'OnScene has no method by that name.' });
    const spec = methods[method];
    const parsed = spec.params.safeParse(params ?? {});
    if (!parsed.success) {
      // Zod paths name fields, never values: safe to show.
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(body)'))].join(', ');
      return fail({ code: 'bad-request', message: `Invalid input for ${method}: check ${fields}.` });
    }
    // A locked session reaches only unlock/sign-out (issue #4); everything else gets 'locked'.
    const { session, error: sessionError } = sessions.resolve(sessionToken, method);
    if (spec.needsSession && !session) return fail(sessionError);
    try {
      const handler = handlers[method] as Handler<MethodName>;
      return ok(await handler(parsed.data as never, { session, sessionToken }));
    } catch (error) {
      const shape = toErrorShape(error);
      if (!(error instanceof AppError)) log(`internal error in ${method}: ${error instanceof Error ? error.name : typeof error}`);
      return fail(shape);
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;
