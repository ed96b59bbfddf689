import type { Readable, Writable } from 'node:stream';

/**
 * The PIN for the command line: ONSCENE_PIN, else one line from stdin (piped), else a prompt on
 * the terminal with echo off. Never taken from an argument, where it would land in shell history.
 */
export async function readPin(env: NodeJS.ProcessEnv, stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }, prompt: Writable): Promise<string> {
  if (env.ONSCENE_PIN) return env.ONSCENE_PIN;
  if (stdin.isTTY && stdin.setRawMode) {
    prompt.write('PIN: ');
    stdin.setRawMode(true);
    try {
      return await new Promise<string>((resolve, reject) => {
        let pin = '';
        const onData = (chunk: Buffer) => {
          for (const char of chunk.toString('utf8')) {
            if (char === '\r' || char === '\n') {
              stdin.off('data', onData);
              prompt.write('\n');
              resolve(pin);
              return;
            }
            if (char === '\u0003') {
              stdin.off('data', onData);
              reject(new Error('cancelled'));
              return;
            }
            pin = char === '\u007f' ? pin.slice(0, -1) : pin + char;
          }
        };
        stdin.on('data', onData);
        stdin.resume();
      });
    } finally {
      stdin.setRawMode(false);
      stdin.pause();
    }
  }
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 256) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
