// Runs the checks `npm test` does before vitest, each as one named pass/fail, recorded in
// reports/checks.json so CI counts them. Every check runs, so one failure does not hide another.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const CHECKS = [
  ['lint (eslint, type-aware)', 'npm', ['run', '-s', 'lint']],
  ['types (tsc -b)', 'npm', ['run', '-s', 'typecheck']],
  ['dependency rules and import cycles (dependency-cruiser)', 'npm', ['run', '-s', 'deps:check']],
  ['generated files are up to date', 'npm', ['run', '-s', 'check:generated']],
];

mkdirSync('reports', { recursive: true });
const results = [];
let ok = true;
for (const [name, command, args] of CHECKS) {
  const run = spawnSync(command, args, { stdio: 'inherit' });
  results.push({ name, ok: run.status === 0 });
  console.log(`${run.status === 0 ? 'ok  ' : 'FAIL'} ${name}`);
  if (run.status !== 0) ok = false;
}
writeFileSync('reports/checks.json', JSON.stringify(results, null, 2));
process.exit(ok ? 0 : 1);
