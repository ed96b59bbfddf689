import { defineConfig } from 'vitest/config';

// The interop suite (issue #17): sync's integration behaviour against any FHIR base URL, run by
// `npm run test:interop [-- --central <url>]`. Kept out of `npm test`: it needs a central record.
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['interop/**/*.interop.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    // One file at a time: a shared central record on a two-core machine, and clearer failures.
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    execArgv: ['--experimental-websocket'],
  },
});
