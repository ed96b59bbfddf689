import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Reply } from './httpIo';
import { createBearerGate, type TokenCheck } from './identity/accessTokens';

/** What a FHIR request does to the record: writes always need a token (issue #10 item 4). */
export type Access = 'read' | 'write';

/** Undefined lets the request through; otherwise the reply (401 + OperationOutcome) to send. */
export type AccessGate = (authorization: string | undefined, access: Access) => Promise<Reply | undefined>;

/** A fresh service token per start: 256 random bits, base64url (an RFC 6750 token68). */
export function newServiceToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Accepts the sandbox's own service token (compared in constant time), else asks the identity
 * provider when there is one. Without a provider, any other token is unknown.
 */
export function serviceTokenCheck(serviceToken: string, identityCheck?: (token: string) => Promise<TokenCheck>): (token: string) => Promise<TokenCheck> {
  const expected = digest(serviceToken);
  return async (token) => {
    if (timingSafeEqual(digest(token), expected)) return { isValid: true, sub: 'sandbox-service', clientId: 'sandbox', scope: 'system/*.*', expiresAt: 0 };
    return identityCheck ? identityCheck(token) : { isValid: false, reason: 'unknown' };
  };
}

export type AccessGateOptions = Readonly<{
  check: (token: string) => Promise<TokenCheck>;
  /** Reads need a token too (`requireBearer`). */
  requireBearer: boolean;
  /** Writes need a token (default on; off only for callers not yet passing one). */
  requireWriteToken: boolean;
}>;

/** The FHIR server's gate: reads open unless `requireBearer`, writes gated unless `requireWriteToken` is off. */
export function createAccessGate(options: AccessGateOptions): AccessGate {
  const bearer = createBearerGate(options.check);
  return (authorization, access) => {
    const isNeeded = options.requireBearer || (access === 'write' && options.requireWriteToken);
    return isNeeded ? bearer(authorization) : Promise.resolve(undefined);
  };
}
