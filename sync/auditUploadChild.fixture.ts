import { createAuditLog } from '../db/auditLog';
import { openConnection } from '../db/storage/connection';
import { createAuditUploader } from './auditUpload';
import { createFhirClient } from './fhirClient';

// Run by auditUpload.test.ts in a child process that the test SIGKILLs mid-upload:
//   node --experimental-websocket --import tsx sync/auditUploadChild.fixture.ts
// Env: AUDIT_DIR, AUDIT_KEY, CENTRAL_URL, CENTRAL_TOKEN (the sandbox's service token), AUDIT_BATCH. Prints one line per acknowledged Bundle.
const { AUDIT_DIR, AUDIT_KEY, CENTRAL_URL } = process.env;
if (!AUDIT_DIR || !AUDIT_KEY || !CENTRAL_URL) throw new Error('AUDIT_DIR, AUDIT_KEY and CENTRAL_URL are required');

const { db } = openConnection({ directory: AUDIT_DIR, key: AUDIT_KEY }, 'onscene');
const log = createAuditLog(db);
const uploader = createAuditUploader({
  client: createFhirClient({ baseUrl: CENTRAL_URL ?? '', retry: { maxAttempts: 1 }, ...(process.env.CENTRAL_TOKEN ? { bearerToken: process.env.CENTRAL_TOKEN } : {}) }),
  log,
  batchSize: Number(process.env.AUDIT_BATCH ?? 10),
  maxBatches: 1_000,
  retainAckedMs: 0,
  onBatch: () => process.stdout.write('batch\n'),
  // AUDIT_PAUSE=1: hold still between the server's success and the local acknowledgement, so the
  // test can kill us exactly there. (Writes to a pipe are synchronous on Linux.)
  onServerSuccess: () => {
    if (process.env.AUDIT_PAUSE !== '1') return;
    process.stdout.write('server-has-it\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  },
});
for (;;) {
  const result = await uploader.run();
  if (result.remaining === 0 && result.failure === null) break;
}
process.stdout.write('done\n');
db.close();
