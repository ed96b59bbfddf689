import { badRequest, getStatus, isOk } from '@medplum/core';
import { type FhirRequest, type FhirRouter } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { type SandboxRepository } from './sandboxRepository';

export type SandboxResponse = Readonly<{ status: number; body: Resource }>;

function entryFailure(index: number, entry: BundleEntry | undefined): SandboxResponse {
  const outcome: OperationOutcome = entry?.response?.outcome ?? badRequest('Entry was not processed');
  const first = outcome.issue?.[0];
  const status = Number.parseInt(entry?.response?.status ?? '', 10);
  const body: OperationOutcome = {
    ...outcome,
    issue: [{
      severity: 'error',
      code: first?.code ?? 'processing',
      details: { text: `Transaction failed at Bundle.entry[${index}]: ${first?.details?.text ?? 'entry failed'}. Nothing was applied.` },
      expression: [`Bundle.entry[${index}]`],
    }],
  };
  return { status: Number.isFinite(status) && status >= 400 ? status : getStatus(outcome), body };
}

/**
 * All-or-nothing transaction. MemoryRepository cannot roll back, so we let Medplum process the
 * entries with batch semantics (same identity resolution, reference rewriting and ordering),
 * journal every write, and undo them all if any entry fails. Unlike Medplum's transaction mode
 * this tells the client which entry failed. The caller holds the write lock throughout, so
 * nobody sees the intermediate state.
 */
export async function runTransaction(router: FhirRouter, repo: SandboxRepository, req: FhirRequest, bundle: Bundle): Promise<SandboxResponse> {
  repo.beginJournal();
  let isCommitted = false;
  try {
    const [outcome, result] = await router.handleRequest({ ...req, pathname: '', body: { ...bundle, type: 'batch' } }, repo);
    if (!isOk(outcome) || result?.resourceType !== 'Bundle') return { status: getStatus(outcome), body: outcome };
    const entries = result.entry ?? [];
    for (let i = 0; i < (bundle.entry?.length ?? 0); i++) {
      if (!entries[i]?.response?.status?.startsWith('2')) return entryFailure(i, entries[i]);
    }
    repo.commitJournal();
    isCommitted = true;
    return { status: 200, body: { ...result, type: 'transaction-response' } };
  } finally {
    if (!isCommitted) await repo.rollbackJournal();
  }
}

