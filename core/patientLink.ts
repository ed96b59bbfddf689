/** The subset of a FHIR resource that links it to a patient. */
type Linkable = Readonly<{
  resourceType: string;
  id?: string;
  patient?: { reference?: string };
  subject?: { reference?: string };
  for?: { reference?: string };
}>;

const patientIdFrom = (reference: string | undefined): string | undefined => {
  const match = reference ? /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(reference) : null;
  return match?.[1];
};

/**
 * The patient a resource is about, or '' when none: Patient itself, `patient`, `subject`,
 * or a Task's `for`.
 */
export function patientIdOf(resource: Linkable): string {
  if (resource.resourceType === 'Patient') return resource.id ?? '';
  return patientIdFrom(resource.patient?.reference) ?? patientIdFrom(resource.subject?.reference) ?? patientIdFrom(resource.for?.reference) ?? '';
}
