/**
 * `npm run sandbox -- --patients N --seed S --port P`: the sandbox central record on its own,
 * for the demo or for pointing a dev build at. Prints one line with the base URL.
 */
import { parseCliArgs } from './cliArgs';
import { startSandbox } from './server';

const parsed = parseCliArgs(process.argv.slice(2));
if (!parsed.isOk) {
  console.error(parsed.message);
  process.exit(2);
}
const { patients, seed, port } = parsed.args;
try {
  const sandbox = await startSandbox({ patients, seed, port });
  console.log(`OnScene sandbox central record (synthetic data) listening at ${sandbox.baseUrl} (${patients} patients, seed ${seed}, ${sandbox.stats.resources} resources)`);
  let isClosing = false;
  const shutdown = (): void => {
    if (isClosing) return;
    isClosing = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  console.error(code === 'EADDRINUSE' ? `Port ${port} is already in use: choose another with --port, or 0 for any free port.` : `Sandbox failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
