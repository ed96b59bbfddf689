/**
 * Child process for cipherUpgrade.test.ts: upgrades a chacha20 file to the current cipher and is
 * SIGKILLed part-way through the re-encryption. A worker thread watches the rollback journal
 * (it exists only while rekey's transaction is open) and kills the process once the journal
 * holds `thresholdBytes`, so the crash lands inside the rewrite rather than at a guessed time.
 * Usage: node --import tsx cipherUpgradeChild.fixture.ts <directory> <key> <thresholdBytes>
 */
import { Worker } from 'node:worker_threads';
import { openConnectionUpgradingCipher } from './cipherUpgrade';

const [directory, key, threshold] = process.argv.slice(2);
if (directory === undefined || key === undefined || threshold === undefined) throw new Error('usage: <directory> <key> <thresholdBytes>');

const WATCHER = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
parentPort.postMessage('watching');
for (;;) {
  try {
    if (fs.statSync(workerData.journal).size >= workerData.threshold) process.kill(process.pid, 'SIGKILL');
  } catch {}
}
`;
const watcher = new Worker(WATCHER, { eval: true, workerData: { journal: `${directory}/onscene.sqlite-journal`, threshold: Number(threshold) } });
await new Promise((resolve) => watcher.once('message', resolve));

// A small page cache makes rekey spill re-encrypted pages into the file before it commits, so
// the crash leaves a file that is really half old cipher, half new (the hardest case).
const { connection } = openConnectionUpgradingCipher({ directory, key, cacheSizeKiB: 256 }, 'onscene', ['chacha20']);
connection.db.close();
process.stdout.write('upgraded\n');
process.exit(0);
