import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { SYSTEMS } from './fhirCodes';

/**
 * The systems, profiles and codes triage is recorded with (core/triageFhir.ts builds the
 * resources). Every code was checked against a public source, named beside it; a concept with no
 * confirmed code is carried as text only.
 */
export type TriageFhirContext = Readonly<{ organizationId: string | null; now: string }>;
export type ObservationKind = 'respirationRate' | 'spo2' | 'inspiredOxygen' | 'bloodPressure' | 'pulse' | 'consciousness' | 'temperature' | 'news2';

/** Standard systems used here (HL7 terminology), and our own under https://fhir.onscene.example/. */
export const TRIAGE_SYSTEMS = {
  ucum: 'http://unitsofmeasure.org',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  dischargeDisposition: 'http://terminology.hl7.org/CodeSystem/discharge-disposition',
  unknownIdentity: 'http://hl7.org/fhir/patient-unknownIdentity',
  incidentTask: 'https://fhir.onscene.example/Id/incident-task',
  unidentifiedPatient: 'https://fhir.onscene.example/Id/unidentified-patient',
  dispositionOutcome: 'https://fhir.onscene.example/CodeSystem/disposition-outcome',
  referralTarget: 'https://fhir.onscene.example/CodeSystem/referral-target',
  news2Band: 'https://fhir.onscene.example/CodeSystem/news2-band',
  recordOrigin: 'https://fhir.onscene.example/CodeSystem/record-origin',
} as const;

export const TRIAGE_EXTENSIONS = {
  incidentTask: 'https://fhir.onscene.example/StructureDefinition/incident-task',
  referralTarget: 'https://fhir.onscene.example/StructureDefinition/referral-target',
  dispositionNotes: 'https://fhir.onscene.example/StructureDefinition/disposition-notes',
  /** Recognition of life extinct: the time the crew verified death. */
  roleTime: 'https://fhir.onscene.example/StructureDefinition/role-time',
  /** FHIR Extensions Pack (https://hl7.org/fhir/extensions/StructureDefinition-patient-unknownIdentity.html). */
  unknownIdentity: 'http://hl7.org/fhir/StructureDefinition/patient-unknownIdentity',
} as const;

/**
 * UK Core canonical URLs (NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN structuredefinitions/). UK Core
 * has no published ACVPU, inspired-oxygen or early-warning-score profile yet (only proposals), so
 * those claim the base UKCore-Observation.
 */
const UK = 'https://fhir.hl7.org.uk/StructureDefinition/';
export const TRIAGE_PROFILES = {
  observation: `${UK}UKCore-Observation`,
  respirationRate: `${UK}UKCore-Observation-VitalSigns-RespirationRate`,
  spo2: `${UK}UKCore-Observation-VitalSigns-OxygenSaturation`,
  bloodPressure: `${UK}UKCore-Observation-VitalSigns-BloodPressure`,
  heartRate: `${UK}UKCore-Observation-VitalSigns-HeartRate`,
  temperature: `${UK}UKCore-Observation-VitalSigns-BodyTemperature`,
  encounter: `${UK}UKCore-Encounter`,
  composition: `${UK}UKCore-Composition`,
  patient: `${UK}UKCore-Patient`,
} as const;

const sct = (code: string, display: string): Coding => ({ system: SYSTEMS.snomed, code, display });
export const loinc = (code: string, display: string): Coding => ({ system: SYSTEMS.loinc, code, display });
export const concept = (text: string, ...coding: Coding[]): CodeableConcept => ({ coding, text });

/**
 * Codes. LOINC: the R4 vital-signs value set (hl7.org/fhir/R4/valueset-observation-vitalsignresult),
 * 59408-5 as US Core's pulse-oximetry code. SNOMED: UK Core value sets UKCore-BloodPressure(-Systolic,
 * -Diastolic), -BodyTemperature, -ACVPU, -InspiredOxygen, -EarlyWarningSubScore, -EarlyWarningTotalScore,
 * and NHS England's NEWS2 observation guidance (pulse rate 78564009 as the reading behind the pulse
 * score); 431314004 (peripheral, i.e. pulse-oximeter, saturation) sits under UK Core's 103228002 root.
 */
export const TRIAGE_CODES = {
  respirationRate: concept('Respiration rate', loinc('9279-1', 'Respiratory rate'), sct('86290005', 'Respiratory rate')),
  spo2: concept('SpO2', loinc('2708-6', 'Oxygen saturation in Arterial blood'), loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'), sct('431314004', 'Peripheral oxygen saturation')),
  onAir: concept('Breathing room air', sct('722742002', 'Breathing room air')),
  onOxygen: concept('On supplemental oxygen', sct('371825009', 'Patient on oxygen')),
  bloodPressure: concept('Blood pressure', loinc('85354-9', 'Blood pressure panel with all children optional'), sct('75367002', 'Blood pressure')),
  // UK Core slices the components on code.text, fixed to these strings.
  systolic: concept('Systolic blood pressure', loinc('8480-6', 'Systolic blood pressure'), sct('271649006', 'Systolic blood pressure')),
  diastolic: concept('Diastolic blood pressure', loinc('8462-4', 'Diastolic blood pressure'), sct('271650006', 'Diastolic blood pressure')),
  pulse: concept('Pulse', loinc('8867-4', 'Heart rate'), sct('78564009', 'Pulse rate')),
  consciousness: concept('ACVPU', sct('1104441000000107', 'ACVPU (Alert Confusion Voice Pain Unresponsive) scale score')),
  temperature: concept('Temperature', loinc('8310-5', 'Body temperature'), sct('276885007', 'Core body temperature')),
  news2: concept('NEWS2 total score', sct('1104051000000101', 'Royal College of Physicians NEWS2 (National Early Warning Score 2) total score')),
} as const;

/** ACVPU answers (UK Core ValueSet UKCore-ACVPU): new confusion is "Acute confusion". */
export const ACVPU_CODES = {
  A: sct('248234008', 'Mentally alert'),
  C: sct('130987000', 'Acute confusion'),
  V: sct('300202002', 'Responds to voice'),
  P: sct('450847001', 'Responds to pain'),
  U: sct('422768004', 'Unresponsive'),
} as const;

const news2Sub = (code: string, what: string): Coding => sct(code, `Royal College of Physicians NEWS2 (National Early Warning Score 2) - ${what} score`);
/** NEWS2 sub-scores (UK Core ValueSet UKCore-EarlyWarningSubScore), in chart order; SpO2 has one code per scale. */
export const NEWS2_SUBSCORE_CODES = {
  respirationRate: news2Sub('1104301000000104', 'respiration rate'),
  spo2Scale1: news2Sub('1104311000000102', 'oxygen saturation scale 1'),
  spo2Scale2: news2Sub('1104321000000108', 'oxygen saturation scale 2'),
  onOxygen: news2Sub('1104331000000105', 'air or oxygen'),
  systolicBp: news2Sub('1104341000000101', 'systolic blood pressure'),
  pulse: news2Sub('1104351000000103', 'pulse'),
  consciousness: news2Sub('1104361000000100', 'consciousness'),
  temperature: news2Sub('1104371000000107', 'temperature'),
} as const;

