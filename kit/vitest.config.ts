import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'kit',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    testTimeout: 30_000,
  },
});
