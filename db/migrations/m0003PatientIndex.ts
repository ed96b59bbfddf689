import type { Migration } from './runMigrations';

/**
 * Format 3 (issue #13): finding a patient offline through real SQL indexes instead of a scan of
 * every cached Patient, and the 111 calls started on this device.
 *
 * `patient_index`: one row per cached Patient, kept beside the RxDB resources on the audit
 * connection (db/patientIndex.ts keeps it current from RxDB's change stream and rebuilds it on
 * open when it is out of step). Names are normalised (NFKD, accents stripped, lower case, letters
 * only) with their Double Metaphone keys (primary and alternate); postcodes without spaces, with
 * their outward code. `summary` holds what a result list shows, so a search reads no resource.
 * Derived data only: it can always be rebuilt from the resources.
 *
 * `call_reference`: a 111 call started here (its reference, when and by whom), so a clinical
 * adviser can join it by reference and a reference never seen is refused.
 *
 * Frozen: a later change to these tables is a new migration.
 */
export const patientIndexMigration: Migration = {
  version: 3,
  name: 'patient-index',
  up(db) {
    db.exec(`
CREATE TABLE patient_index (
  patient_id TEXT PRIMARY KEY,
  nhs_number TEXT,
  family_norm TEXT NOT NULL,
  given_norm TEXT NOT NULL,
  family_phonetic TEXT NOT NULL,
  family_phonetic_alt TEXT NOT NULL,
  given_phonetic TEXT NOT NULL,
  given_phonetic_alt TEXT NOT NULL,
  birth_date TEXT,
  postcode_norm TEXT NOT NULL,
  postcode_outward TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX patient_index_nhs ON patient_index (nhs_number);
CREATE INDEX patient_index_family_dob ON patient_index (family_norm, birth_date);
CREATE INDEX patient_index_family_phonetic ON patient_index (family_phonetic, birth_date);
CREATE INDEX patient_index_family_phonetic_alt ON patient_index (family_phonetic_alt, birth_date);
CREATE INDEX patient_index_dob ON patient_index (birth_date);
CREATE INDEX patient_index_postcode_dob ON patient_index (postcode_norm, birth_date);
CREATE INDEX patient_index_outward_dob ON patient_index (postcode_outward, birth_date);
CREATE TABLE call_reference (
  reference TEXT PRIMARY KEY,
  started_at TEXT NOT NULL,
  started_by TEXT NOT NULL
);
`);
  },
};
