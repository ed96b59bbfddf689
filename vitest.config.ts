import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', 'renderer/e2e/**/*.e2e.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Medplum's core needs the WebSocket global that Node 20 hides behind a flag.
    execArgv: ['--experimental-websocket'],
  },
});
