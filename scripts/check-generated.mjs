// Regenerates what is generated from sources (proto types, configuration reference) and fails when the result differs
// from what is committed, so generated files never drift from their sources.
import { execFileSync, spawnSync } from 'node:child_process';

const GENERATED = ['proto/src/generated', 'docs/configuration.md'];

execFileSync('node', ['scripts/gen-proto.mjs'], { stdio: 'inherit' });
execFileSync('node', ['--conditions=development', '--import', 'tsx', 'scripts/gen-config-docs.mjs'], { stdio: 'inherit' });
const diff = spawnSync('git', ['status', '--porcelain', '--', ...GENERATED], { encoding: 'utf8' });
if (diff.status !== 0) {
  console.error(diff.stderr);
  process.exit(1);
}
// Second status column: the working tree differs from the index (or the file is untracked).
const drifted = diff.stdout.split('\n').filter((line) => line.length > 1 && line[1] !== ' ');
if (drifted.length > 0) {
  console.error('generated files differ from the committed ones; run `npm run check:generated` and commit:');
  console.error(drifted.join('\n'));
  process.exit(1);
}
