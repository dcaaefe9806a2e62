// Regenerates proto/src/generated from proto/coupler/**/*.proto with proto-loader-gen-types.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const protoRoot = join(root, 'proto');
const outDir = join(protoRoot, 'src', 'generated');

function protoFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return protoFiles(path);
    return entry.name.endsWith('.proto') ? [path.slice(protoRoot.length + 1)] : [];
  });
}

rmSync(outDir, { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules', '.bin', 'proto-loader-gen-types'),
  [
    '--longs=Number', '--enums=String', '--defaults', '--oneofs', '--grpcLib=@grpc/grpc-js',
    '--importFileExtension=.js', '--includeDirs', protoRoot, '--outDir', outDir,
    ...protoFiles(join(protoRoot, 'coupler')),
  ],
  { cwd: protoRoot, stdio: 'inherit' },
);

// The generator writes the absolute path of each .proto into a comment; make it relative so
// the output is the same in every clone and the diff check can compare it.
function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
for (const file of listFiles(outDir)) {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replaceAll(`${protoRoot}/`, 'proto/'));
}
