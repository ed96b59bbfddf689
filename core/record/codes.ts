/**
 * Codes the record view reads from shapes real central records send (HL7 R4 and UK Core examples,
 * Synthea), beyond the ones our sandbox writes (core/fhirCodes.ts). Kept here, beside the readers,
 * so the sync tiers in fhirCodes.ts stay one person's file.
 */

export const RECORD_SYSTEMS = {
  /** HL7 consent categories (acd, dnr, polst...). */
  consentCategory: 'http://terminology.hl7.org/CodeSystem/consentcategorycodes',
  /** https://hl7.org/fhir/R4/extension-patient-interpreterrequired.html */
  interpreterRequired: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
  bcp47: 'urn:ietf:bcp:47',
} as const;

/** SNOMED CT situations that say an allergy is known to be absent: a statement, never an allergy. */
export const NO_KNOWN_ALLERGY_CODES: Readonly<Record<string, string>> = {
  '716186003': 'No known allergy',
  '409137002': 'No known drug allergy',
  '428607008': 'No known environmental allergy',
  '429625007': 'No known food allergy',
  '428197003': 'No known latex allergy',
  '160244002': 'No known allergies',
};

/** SNOMED CT 39579001 Anaphylaxis: the reaction a crew must see first. */
export const SNOMED_ANAPHYLAXIS = '39579001';

/** SNOMED CT 304253006 Not for resuscitation; 304252001 For resuscitation (the GECCO DNR shape). */
export const SNOMED_NOT_FOR_RESUSCITATION = '304253006';
export const SNOMED_FOR_RESUSCITATION = '304252001';

/**
 * HL7 flag-category codes in plain English (https://hl7.org/fhir/R4/codesystem-flag-category.html).
 * Categories from other systems (an "infection control" code, say) are shown by their own text.
 */
export const FLAG_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  diet: 'Diet',
  drug: 'Medicines',
  lab: 'Laboratory',
  admin: 'Administrative',
  contact: 'Contact',
  clinical: 'Clinical',
  behavioral: 'Behaviour',
  research: 'Research',
  'advance-directive': 'Advance directive',
  safety: 'Safety',
};

/**
 * Identifier systems a crew may be told about when there is no NHS number. Others are labelled by
 * their identifier.type text, or else by the host of their system URL.
 */
export const IDENTIFIER_LABELS: Readonly<Record<string, string>> = {
  'https://fhir.nhs.uk/Id/nhs-number': 'NHS number',
  'http://hl7.org/fhir/sid/us-ssn': 'US social security number',
  'http://hospital.smarthealthit.org': 'Hospital number',
  'https://github.com/synthetichealth/synthea': 'Synthea id',
};

/**
 * Relationship codes in plain English (HL7 v2 table 0131 contact roles and v3 RoleCode family
 * members, as RelatedPerson and Patient.contact send them); a coding's own display wins.
 */
export const RELATIONSHIP_LABELS: Readonly<Record<string, string>> = {
  C: 'Emergency contact',
  EP: 'Emergency contact',
  N: 'Next of kin',
  NOK: 'Next of kin',
  CP: 'Contact person',
  E: 'Employer',
  U: 'Contact',
  MTH: 'Mother',
  FTH: 'Father',
  PRN: 'Parent',
  WIFE: 'Wife',
  HUSB: 'Husband',
  SPS: 'Spouse',
  DOMPART: 'Partner',
  DAU: 'Daughter',
  SON: 'Son',
  CHILD: 'Child',
  SIS: 'Sister',
  BRO: 'Brother',
  SIB: 'Sibling',
  FRND: 'Friend',
  NBOR: 'Neighbour',
  GUARD: 'Guardian',
  POWATT: 'Power of attorney',
  HPOWATT: 'Lasting power of attorney (health)',
};
