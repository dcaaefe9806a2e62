import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['kit', 'edge', 'cloud', 'cli', 'proto', 'scripts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
