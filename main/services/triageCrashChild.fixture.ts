/**
 * Child process for triageCrash.test.ts: the whole application core on a data folder, a crew
 * member typing observations into one triage episode one character at a time, recording each set
 * and syncing now and then, until the parent SIGKILLs it. Prints a line only after the answer
 * came back, i.e. after the screen would show it as saved:
 *   "S <setId> <field> <text>"  a draft saved with that text in that field
 *   "R <setId>"                  the set recorded
 * Usage: node --experimental-websocket --import tsx main/services/triageCrashChild.fixture.ts <centralUrl> <dataDir> <triageId> <runId>
 */
import { EMPTY_ENTRIES, type ObservationEntries } from '../../core/triageViews';
import { DEMO_USERS } from '../../sandbox/demoCast';
import { caller, startCore } from './testCalls';

const TYPING: readonly (readonly [keyof ObservationEntries, string])[] = [
  ['respirationRate', '22'], ['spo2', '95'], ['systolicBp', '118'], ['diastolicBp', '76'], ['pulse', '104'], ['temperatureC', '38.2'],
];

async function main(): Promise<void> {
  const [centralUrl = '', dataDir = '', triageId = '', runId = '0'] = process.argv.slice(2);
  const core = await startCore(dataDir, [], centralUrl, { config: { centralToken: process.env.CENTRAL_TOKEN ?? null, syncIntervalMs: 3_600_000 } });
  const { value } = caller(() => core);
  const medic = DEMO_USERS.find((u) => u.userId === 'demo-paramedic-1')!;
  const token = (await value('session.signIn', { userId: medic.userId, pin: medic.pin })).sessionToken;
  process.stdout.write('READY\n');
  for (let round = 0; ; round++) {
    // A draft left by the previous (killed) run is carried on, as a crew would after a restart.
    const opened = await value('triage.open', { triageId }, token);
    const set = opened.sets.find((s) => s.status === 'draft') ?? (await value('triage.addSet', { triageId }, token)).sets.at(-1)!;
    let entries: ObservationEntries = { ...set.entries, onOxygen: false, consciousness: 'A' };
    const takenAt = set.takenAt;
    for (const [field, text] of TYPING) {
      // A plausible value whose last digit differs per run and round, typed one character at a time.
      const final = text.slice(0, -1) + String((Number(text.at(-1)) + round + Number(runId)) % 10);
      for (let i = 1; i <= final.length; i++) {
        entries = { ...entries, [field]: final.slice(0, i) };
        await value('triage.saveSet', { triageId, setId: set.setId, takenAt, entries, spo2Scale: { scale: 1 } }, token);
        process.stdout.write(`S ${set.setId} ${field} ${final.slice(0, i)}\n`);
      }
    }
    await value('triage.recordSet', { triageId, setId: set.setId, correction: null }, token);
    process.stdout.write(`R ${set.setId}\n`);
    if (round % 2 === 1) await value('sync.run', {}, token);
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
