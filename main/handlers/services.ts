import type { AppConfig } from '../config';
import type { OnlineSignIn } from '../identity/onlineSignIn';
import type { AuditPort } from '../services/auditPort';
import type { AuditService } from '../services/auditService';
import type { DeviceStore } from '../services/deviceStore';
import type { SessionSecurity } from '../services/sessionSecurity';
import type { SessionRegistry } from '../services/sessions';
import type { AccessTokens } from '../identity/accessTokens';
import type { TriageService } from '../services/triageService';
import type { FhirClient } from '../../sync/fhirClient';
import type { CallBook } from '../services/callBook';
import type { RecordAccess } from './recordAccess';
import type { UpdatePort } from './appHandlers';

/**
 * What the handler modules are given: the services the composition root built, each once.
 * Handlers reach one level into this, never through a service into another.
 */
export type Services = Readonly<{
  config: AppConfig;
  now: () => Date;
  sessions: SessionRegistry;
  security: SessionSecurity;
  online: OnlineSignIn;
  tokens: AccessTokens;
  store: DeviceStore;
  audit: AuditPort;
  /** Reports read from the audit trail (audit.mine and the reviewers' reports). */
  auditReports: Pick<AuditService, 'mine' | 'breakGlass' | 'forPatient' | 'purgedThroughSeq' | 'deferredCount' | 'setAside'>;
  access: RecordAccess;
  /** Triage episodes: rule, audit, save as entered, outbox (issue #12). */
  triage: TriageService;
  /** Issue #13: the call or incident each session works on (a 111 call's reference is its purpose). */
  calls: CallBook;
  /** The one FHIR client, for searches of the central record (patients.search, calls.join). */
  central: FhirClient;
  /** The web shell's (or Electron's) loopback address the identity provider redirects to. */
  redirectUri: () => string | null;
  /** Issue #16: the desktop app's updater (the web shell has none). */
  updates: UpdatePort;
}>;
