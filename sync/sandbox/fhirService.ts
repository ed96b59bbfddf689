import { allOk, getStatus, normalizeOperationOutcome, validateResourceType } from '@medplum/core';
import { type FhirRequest, type FhirResponse, FhirRouter } from '@medplum/fhir-router';
import type { CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { parseTypeHistoryQuery } from './history';
import { type SandboxRepository } from './sandboxRepository';
import { SEED_EPOCH_MS } from './synthTime';
import { runTransaction, type SandboxResponse } from './transaction';

/** Types the sandbox serves; anything else still works through Medplum, this is what we advertise. */
const ADVERTISED_TYPES = [
  'Patient', 'Consent', 'Flag', 'AllergyIntolerance', 'CarePlan', 'MedicationStatement', 'Condition', 'Observation',
  'Task', 'Device', 'Practitioner', 'PractitionerRole', 'Organization', 'Encounter', 'AuditEvent',
] as const;

function capabilityStatement(): CapabilityStatement {
  const interaction = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'] as const;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date(SEED_EPOCH_MS).toISOString(),
    kind: 'instance',
    software: { name: 'OnScene sandbox central record (synthetic data)' },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{
      mode: 'server',
      interaction: [{ code: 'transaction' }, { code: 'batch' }],
      resource: ADVERTISED_TYPES.map((type) => ({ type, versioning: 'versioned-update', readHistory: true, updateCreate: true, interaction: interaction.map((code) => ({ code })) })),
    }],
  };
}

export type FhirService = Readonly<{
  router: FhirRouter;
  /** Handles one FHIR request; the caller serializes calls (see mutex.ts). */
  handle: (req: FhirRequest) => Promise<SandboxResponse>;
}>;

function toResponse([outcome, resource]: FhirResponse): SandboxResponse {
  return { status: getStatus(outcome), body: resource ?? outcome };
}

/** Medplum's FhirRouter plus the routes it lacks: type-level history and a CapabilityStatement. */
export function createFhirService(repo: SandboxRepository): FhirService {
  const router = new FhirRouter();
  // More literal segments win in Medplum's router, so these beat ':resourceType/:id'.
  router.add('GET', ':resourceType/_history', async (req) => {
    const { resourceType = '' } = req.params;
    validateResourceType(resourceType);
    return [allOk, repo.typeHistory(resourceType, parseTypeHistoryQuery(req.query))];
  }, 'history-type');
  router.add('GET', 'metadata', async () => [allOk, capabilityStatement()], 'operation');
  const config = { transactions: true };
  return {
    router,
    async handle(req) {
      const body = req.body as Resource | undefined;
      const isRoot = req.url.split('?')[0]?.replace(/\//g, '') === '';
      try {
        if (req.method === 'POST' && isRoot && body?.resourceType === 'Bundle' && body.type === 'transaction') {
          return await runTransaction(router, repo, { ...req, config }, body);
        }
        return toResponse(await router.handleRequest({ ...req, config }, repo));
      } catch (err) {
        const outcome = normalizeOperationOutcome(err);
        return { status: getStatus(outcome), body: outcome };
      }
    },
  };
}
