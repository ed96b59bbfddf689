import { randomBytes } from 'node:crypto';
import { AppError } from '../../core/errors';
import type { FhirClient } from '../../sync/fhirClient';
import type { OidcSignIn, OidcTokens } from './oidcSignIn';
import { lookUpStaff } from './staffLookup';
import type { KnownUser } from './userDirectory';

/** Someone the identity provider authenticated and the central record knows as staff. */
export type VerifiedIdentity = Readonly<{ user: KnownUser; tokens: OidcTokens }>;

export type OnlineSignInDeps = Readonly<{
  oidc: OidcSignIn | null;
  /** A client for the central record that sends this bearer token (the one just issued). */
  centralWith: (accessToken: string) => FhirClient;
  /** The vehicle this device crews: a paramedic's UserSummary names it. */
  vehicle: string;
  now: () => Date;
}>;

/** The browser comes back with a ticket; the user then enters or chooses their PIN within this time. */
const TICKET_TTL_MS = 5 * 60_000;
const MAX_TICKETS = 20;

/** A ticket carries a verified identity, or the plain reason the sign-in failed (shown by the page that redeems it). */
type Ticket = Readonly<{ identity: VerifiedIdentity | null; failure: AppError | null; issuedAt: number }>;

const NOT_CONFIGURED = 'Online sign-in is not set up on this device: no identity provider is configured. Ask your IT team to set one (README "Configuration").';
const EXPIRED = 'This online sign-in has expired. Start online sign-in again.';

/**
 * The online half of sign-in (DESIGN §8): the authorization-code flow with the identity provider,
 * then the central record's Practitioner + PractitionerRole for who the person is here. The result
 * is held under a one-use ticket that names no one, until the user enters (or chooses) the PIN that
 * guards their copy of the data key.
 */
export function createOnlineSignIn(deps: OnlineSignInDeps) {
  const tickets = new Map<string, Ticket>();
  const nowMs = () => deps.now().getTime();
  const requireOidc = (): OidcSignIn => {
    if (!deps.oidc) throw new AppError('not-configured', NOT_CONFIGURED);
    return deps.oidc;
  };
  function prune() {
    for (const [id, t] of tickets) if (nowMs() - t.issuedAt > TICKET_TTL_MS) tickets.delete(id);
    while (tickets.size >= MAX_TICKETS) tickets.delete(tickets.keys().next().value as string);
  }
  function live(ticketId: string): Ticket {
    const ticket = tickets.get(ticketId);
    if (!ticket || nowMs() - ticket.issuedAt > TICKET_TTL_MS) {
      tickets.delete(ticketId);
      throw new AppError('unauthenticated', EXPIRED);
    }
    return ticket;
  }

  async function verify(callbackUrl: URL): Promise<VerifiedIdentity> {
    const identity = await requireOidc().complete(callbackUrl);
    const staff = await lookUpStaff(deps.centralWith(identity.tokens.accessToken), identity.subject);
    const user: KnownUser = {
      summary: {
        userId: identity.subject,
        displayName: identity.name ?? staff.displayName ?? identity.subject,
        role: staff.role,
        vehicle: staff.role === 'paramedic' ? deps.vehicle : null,
      },
      practitionerId: staff.practitionerId,
      organizationId: staff.organizationId,
      verifiedAt: deps.now().toISOString(),
    };
    return { user, tokens: identity.tokens };
  }

  return {
    isConfigured: (): boolean => deps.oidc !== null,

    begin: (redirectUri: string) => requireOidc().begin(redirectUri),

    /**
     * The provider redirected back: verify, look the person up, and hold the result under a new
     * ticket. A typed failure is held too, so the page can say exactly why (the URL carries no text).
     */
    async callback(callbackUrl: URL): Promise<string> {
      let ticket: Ticket;
      try {
        ticket = { identity: await verify(callbackUrl), failure: null, issuedAt: nowMs() };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        ticket = { identity: null, failure: error, issuedAt: nowMs() };
      }
      prune();
      const ticketId = randomBytes(24).toString('base64url');
      tickets.set(ticketId, ticket);
      return ticketId;
    },

    /** Who a ticket is for, so the screen can greet them and ask for the right PIN. */
    peek(ticketId: string): VerifiedIdentity {
      const ticket = live(ticketId);
      if (ticket.failure || !ticket.identity) {
        tickets.delete(ticketId); // a failure is shown once
        throw ticket.failure ?? new AppError('unauthenticated', EXPIRED);
      }
      return ticket.identity;
    },

    /** Uses the ticket up (after the PIN was accepted). */
    consume(ticketId: string): void {
      tickets.delete(ticketId);
    },
  };
}
export type OnlineSignIn = ReturnType<typeof createOnlineSignIn>;
