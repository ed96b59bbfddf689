/**
 * Word lists for the synthetic record. Surnames and streets are deliberately made up so no
 * screenshot of the demo can be mistaken for a real person or address; postcode districts are
 * real London districts so the data looks plausible to crews.
 */
export const FIRST_NAMES_FEMALE = [
  'Amara', 'Beatrice', 'Chloe', 'Daisy', 'Edith', 'Farah', 'Grace', 'Hana', 'Imani', 'Jasmine',
  'Keisha', 'Leila', 'Maryam', 'Nadia', 'Olive', 'Priya', 'Rosa', 'Sadia', 'Tess', 'Usha',
  'Violet', 'Wen', 'Yasmin', 'Zara', 'Agnieszka', 'Bisi', 'Margaret', 'Niamh', 'Ruth', 'Sofia',
] as const;

export const FIRST_NAMES_MALE = [
  'Aarav', 'Ben', 'Chidi', 'Daniel', 'Eitan', 'Femi', 'George', 'Hamza', 'Ivan', 'Jamal',
  'Kwame', 'Liam', 'Mateo', 'Nikhil', 'Oscar', 'Pavel', 'Quentin', 'Rashid', 'Samir', 'Tomasz',
  'Uche', 'Victor', 'Wilfred', 'Xavier', 'Yusuf', 'Zain', 'Arthur', 'Declan', 'Kofi', 'Stanley',
] as const;

export const FAMILY_NAMES = [
  'Testperson', 'Exampleton', 'Sampleford', 'Mockridge', 'Placeholder', 'Dummyworth', 'Specimen',
  'Fictional', 'Madeupson', 'Synthwick', 'Testwood', 'Notreal', 'Pretendley', 'Fakesmith',
  'Demoford', 'Trialman', 'Imaginary', 'Figmentson', 'Proxyfield', 'Stubbington', 'Fixtureby',
  'Scaffoldson', 'Mockingham', 'Sandboxley', 'Ersatzwell', 'Phantomby', 'Likenesson', 'Copywright',
] as const;

export const STREET_NAMES = [
  'Testing Lane', 'Placeholder Road', 'Sample Street', 'Example Avenue', 'Mockup Mews',
  'Fixture Close', 'Dummy Terrace', 'Synthetic Grove', 'Prototype Place', 'Specimen Square',
  'Variable Walk', 'Sandbox Gardens', 'Harness Row', 'Stub Crescent', 'Fakes Yard', 'Demo Hill',
] as const;

export const LONDON_DISTRICTS = [
  'E1', 'E2', 'E3', 'E5', 'E8', 'E13', 'E14', 'E17', 'SE1', 'SE5', 'SE8', 'SE15', 'SE18', 'SE22',
  'N1', 'N4', 'N7', 'N15', 'N19', 'NW1', 'NW5', 'NW6', 'NW10', 'W2', 'W10', 'W12', 'SW2', 'SW9',
  'SW11', 'SW17',
] as const;

/** Letters allowed in the inward code of a UK postcode (never C, I, K, M, O or V). */
export const POSTCODE_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export type SynthItem = Readonly<{ text: string; snomed?: string }>;

export const SAFETY_FLAGS = [
  'Premises warning: aggressive dog',
  'Oxygen in use at property',
  'Premises warning: history of violence towards staff, attend with police',
  'Premises warning: steep external stairs, no lighting',
  'Oxygen and open fire at property: fire risk',
] as const;

export const CLINICAL_FLAGS = [
  'Frequent faller: lives alone',
  'Profoundly deaf: uses British Sign Language',
  'Long-term ventilation at home',
  'Known difficult airway',
] as const;

export const BEHAVIORAL_FLAGS = [
  'Known to mental health crisis team',
  'May become distressed by sirens and lights',
  'Risk of absconding from care',
] as const;

/** Only codes we are certain of carry SNOMED; the rest are text, as much real data is. */
export const ALLERGENS: readonly (SynthItem & Readonly<{ reaction: string; isHigh: boolean }>)[] = [
  { text: 'Penicillin', snomed: '373270004', reaction: 'Anaphylaxis', isHigh: true },
  { text: 'Aspirin', snomed: '387458008', reaction: 'Wheeze and shortness of breath', isHigh: true },
  { text: 'Latex', snomed: '111088007', reaction: 'Urticaria', isHigh: false },
  { text: 'Peanuts', reaction: 'Anaphylaxis', isHigh: true },
  { text: 'Codeine', reaction: 'Vomiting', isHigh: false },
  { text: 'Ibuprofen', reaction: 'Angioedema', isHigh: true },
  { text: 'Adhesive dressings', reaction: 'Skin blistering', isHigh: false },
];

export const MEDICATIONS: readonly Readonly<{ text: string; dosage: string }>[] = [
  { text: 'Amlodipine 5mg tablets', dosage: 'One tablet once daily' },
  { text: 'Metformin 500mg tablets', dosage: 'One tablet twice daily with meals' },
  { text: 'Apixaban 5mg tablets', dosage: 'One tablet twice daily' },
  { text: 'Salbutamol 100micrograms/dose inhaler', dosage: 'Two puffs when required' },
  { text: 'Levetiracetam 500mg tablets', dosage: 'One tablet twice daily' },
  { text: 'Sertraline 50mg tablets', dosage: 'One tablet once daily' },
  { text: 'Furosemide 40mg tablets', dosage: 'One tablet each morning' },
  { text: 'Insulin glargine 100units/ml pre-filled pen', dosage: '18 units at night' },
  { text: 'Atorvastatin 20mg tablets', dosage: 'One tablet at night' },
  { text: 'Ramipril 5mg capsules', dosage: 'One capsule once daily' },
  { text: 'Donepezil 10mg tablets', dosage: 'One tablet at night' },
  { text: 'Tiotropium 2.5micrograms/dose inhaler', dosage: 'Two puffs once daily' },
  { text: 'Bisoprolol 2.5mg tablets', dosage: 'One tablet once daily' },
  { text: 'Levothyroxine 100micrograms tablets', dosage: 'One tablet each morning' },
];

export const CONDITIONS = [
  'Type 2 diabetes mellitus', 'Chronic obstructive pulmonary disease', 'Heart failure', 'Epilepsy',
  'Atrial fibrillation', 'Dementia', 'Asthma', 'Hypertension', 'Chronic kidney disease stage 4',
  'Hypothyroidism', 'Ischaemic heart disease', 'Parkinson disease',
] as const;

export const LIFE_LIMITING_CONDITIONS = [
  'Metastatic lung cancer', 'Motor neurone disease', 'End-stage heart failure',
  'Metastatic pancreatic cancer', 'End-stage chronic obstructive pulmonary disease',
] as const;

export const DECISION_NOTES = [
  'Discussed with patient and daughter. Focus on comfort.',
  'Patient lacks capacity; best-interests decision with son and GP.',
  'Discussed with patient, who does not want CPR. Wife aware.',
  'Agreed at MDT; patient and partner informed and in agreement.',
] as const;

export const RESPECT_FOR_CPR_NOTES = [
  'For full escalation including CPR. Patient wishes to be resuscitated.',
  'For CPR and hospital transfer. Discussed with patient and mother.',
] as const;

export const INCIDENT_DESCRIPTIONS = [
  'Category 1: cardiac arrest', 'Category 1: not breathing normally', 'Category 2: chest pain',
  'Category 2: stroke symptoms', 'Category 2: breathing problems', 'Category 3: fall, unable to get up',
  'Category 3: abdominal pain', 'Category 2: seizure', 'Category 3: sickle cell crisis pain',
  'Category 2: mental health crisis, concern for safety',
] as const;
