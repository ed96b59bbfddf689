import { register } from 'node:module';
import type { runPerformanceTests as RunPerformanceTests } from 'rxdb/plugins/test-utils';

/**
 * `rxdb/plugins/test-utils` imports two of RxDB's *dev*Dependencies, `async-test-util` and `clone`,
 * which an `npm install rxdb` does not bring. When they are missing, a resolve hook maps them to
 * the few functions test-utils uses (same behaviour as async-test-util 2.5.0's `wait` and
 * `randomString`, which the benchmark's document generator calls). When they are installed,
 * the hook steps aside and the real packages load.
 */
const SHIMS: Readonly<Record<string, string>> = {
  'async-test-util': [
    'export function wait(ms = 0) { return new Promise((resolve) => setTimeout(resolve, ms)); }',
    "export function randomString(length = 8, charset = 'abcdefghijklmnopqrstuvwxyz') {",
    "  let text = '';",
    '  for (let i = 0; i < length; i++) text += charset.charAt(Math.floor(Math.random() * charset.length));',
    '  return text;',
    '}',
    'export function randomNumber(min = 0, max = 1000) { return Math.floor(Math.random() * (max - min + 1)) + min; }',
    'export function waitUntil(fn, timeout = 0, interval = 20) {',
    '  const start = Date.now();',
    '  return new Promise((resolve, reject) => {',
    '    const tick = async () => {',
    '      if (await fn()) return resolve(true);',
    "      if (timeout && Date.now() - start > timeout) return reject(new Error('waitUntil timed out'));",
    '      setTimeout(tick, interval);',
    '    };',
    '    tick();',
    '  });',
    '}',
    'export default { wait, randomString, randomNumber, waitUntil };',
  ].join('\n'),
  clone: 'export default function clone(value) { return structuredClone(value); }',
};

const HOOKS = `
const shims = ${JSON.stringify(SHIMS)};
export async function resolve(specifier, context, next) {
  if (!Object.hasOwn(shims, specifier)) return next(specifier, context);
  try {
    return await next(specifier, context);
  } catch {
    return { url: 'data:text/javascript,' + encodeURIComponent(shims[specifier]), shortCircuit: true };
  }
}`;

let isRegistered = false;

/** Loads RxDB's own benchmark function, `runPerformanceTests` from `rxdb/plugins/test-utils`. */
export async function loadRunPerformanceTests(): Promise<typeof RunPerformanceTests> {
  if (!isRegistered) {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
    isRegistered = true;
  }
  const testUtils = await import('rxdb/plugins/test-utils');
  return testUtils.runPerformanceTests;
}
