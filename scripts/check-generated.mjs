// Regenerates what is generated from sources (proto types) and fails when the result differs
// from what is committed, so generated files never drift from their sources.
import { execFileSync, spawnSync } from 'node:child_process';

const GENERATED = ['proto/src/generated'];

execFileSync('node', ['scripts/gen-proto.mjs'], { stdio: 'inherit' });
const diff = spawnSync('git', ['status', '--porcelain', '--', ...GENERATED], { encoding: 'utf8' });
if (diff.status !== 0) {
  console.error(diff.stderr);
  process.exit(1);
}
if (diff.stdout.trim() !== '') {
  console.error('generated files differ from the committed ones; run `npm run check:generated` and commit:');
  console.error(diff.stdout);
  process.exit(1);
}
