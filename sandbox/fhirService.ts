import { allOk, badRequest, created, getStatus, normalizeOperationOutcome, validateResourceType } from '@medplum/core';
import { type FhirRequest, type FhirResponse, FhirRouter, type FhirRouteHandler, type HttpMethod } from '@medplum/fhir-router';
import type { CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { parseTypeHistoryQuery } from './history';
import { type SandboxRepository } from './sandboxRepository';
import { SEED_EPOCH_MS } from './synthTime';
import { runTransaction, type SandboxResponse } from './transaction';

/** Types the sandbox serves; anything else still works through Medplum, this is what we advertise. */
const ADVERTISED_TYPES = [
  'Patient', 'Consent', 'Flag', 'AllergyIntolerance', 'CarePlan', 'QuestionnaireResponse', 'MedicationRequest', 'Medication',
  'MedicationStatement', 'Condition', 'RelatedPerson', 'CareTeam', 'Encounter', 'Procedure', 'Immunization', 'DocumentReference',
  'Observation', 'Task', 'Device', 'Practitioner', 'PractitionerRole', 'Organization', 'AuditEvent', 'Communication',
] as const;

/** The `_include`s sync asks for (issue #11: medicines by reference); Medplum's router serves them. */
const SEARCH_INCLUDES: Readonly<Partial<Record<(typeof ADVERTISED_TYPES)[number], readonly string[]>>> = {
  MedicationRequest: ['MedicationRequest:medication'],
  MedicationStatement: ['MedicationStatement:medication'],
  CarePlan: ['CarePlan:subject'],
  Task: ['Task:patient'],
};

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
      resource: ADVERTISED_TYPES.map((type) => ({
        type, versioning: 'versioned-update', readHistory: true, updateCreate: true, interaction: interaction.map((code) => ({ code })),
        ...(SEARCH_INCLUDES[type] ? { searchInclude: [...(SEARCH_INCLUDES[type] ?? [])] } : {}),
      })),
    }],
  };
}

export type FhirService = Readonly<{
  router: FhirRouter;
  /** Handles one FHIR request; the caller serializes calls (see mutex.ts). */
  handle: (req: FhirRequest) => Promise<SandboxResponse>;
}>;

function parseIfMatch(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? /"([^"]+)"/.exec(value)?.[1] : undefined;
}

/**
 * Medplum answers every PUT with 200; FHIR says an update that creates answers 201
 * (https://hl7.org/fhir/R4/http.html#update), which tells a pushing client its create landed.
 */
class SandboxRouter extends FhirRouter {
  constructor(private readonly repo: SandboxRepository) {
    super();
  }

  private readonly updateOrCreate: FhirRouteHandler = async (req) => {
    const { resourceType = '', id = '' } = req.params;
    const resource = req.body as Resource | undefined;
    if (resource?.resourceType !== resourceType) return [badRequest('Incorrect resource type')];
    if (resource.id !== id) return [badRequest('Incorrect resource ID')];
    const isCreate = !this.repo.exists(resourceType, id);
    const saved = await this.repo.updateResource(resource, { ifMatch: parseIfMatch(req.headers?.['if-match']) });
    return [isCreate ? created : allOk, saved];
  };

  override find(method: HttpMethod, url: string): ReturnType<FhirRouter['find']> {
    const route = super.find(method, url);
    if (route && method === 'PUT' && route.data?.interaction === 'update' && route.params.id) return { ...route, handler: this.updateOrCreate };
    return route;
  }
}

const TYPED_REFERENCE_KEY = /^([a-z][a-z-]*):([A-Z][A-Za-z]+)$/;

/**
 * `subject:Patient=pat-1` means `subject=Patient/pat-1` (https://hl7.org/fhir/R4/search.html#reference),
 * but Medplum's parser drops the type modifier, which turns the search into an ambiguous bare id
 * that matches nothing. Rewriting it first keeps the standard form working.
 */
export function normalizeTypedReferences(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let isChanged = false;
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    const m = TYPED_REFERENCE_KEY.exec(key);
    if (m && !value.includes('/')) {
      out.append(m[1] as string, value.split(',').map((v) => `${m[2] as string}/${v}`).join(','));
      isChanged = true;
    } else out.append(key, value);
  }
  return isChanged ? `${url.slice(0, q)}?${out.toString()}` : url;
}

function toResponse([outcome, resource]: FhirResponse): SandboxResponse {
  return { status: getStatus(outcome), body: resource ?? outcome };
}

/** Medplum's FhirRouter plus the routes it lacks: type-level history and a CapabilityStatement. */
export function createFhirService(repo: SandboxRepository): FhirService {
  const router = new SandboxRouter(repo);
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
        return toResponse(await router.handleRequest({ ...req, url: normalizeTypedReferences(req.url), config }, repo));
      } catch (err) {
        const outcome = normalizeOperationOutcome(err);
        return { status: getStatus(outcome), body: outcome };
      }
    },
  };
}
