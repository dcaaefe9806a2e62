// `npm test`: the checks (lint, types, dependency rules, generated files), then every vitest
// suite. vitest runs even when a check fails, so one lint error never hides the test results;
// the exit code is non-zero when either failed.
import { spawnSync } from 'node:child_process';

const checks = spawnSync(process.execPath, ['scripts/run-checks.mjs'], { stdio: 'inherit' });
const vitest = spawnSync('node_modules/.bin/vitest', ['run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(checks.status === 0 && vitest.status === 0 ? 0 : 1);
