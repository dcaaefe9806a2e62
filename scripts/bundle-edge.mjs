// Bundles the built edge daemon (edge/dist/src/main.js and what it imports) into one ES module,
// edge/dist/src/main.bundle.js, which the image starts (deploy/edge/entrypoint.sh). One script
// instead of ~700 modules: without each module's loader records, wrapper, comments and file
// caches the idle gateway holds about 12 MiB less (docs/decisions/0019). Whitespace and syntax
// are minified, names kept, so stack traces still name the functions.
// Left outside, loaded from node_modules as before: native addons, packages that read files next
// to themselves, what @coupler/proto shares with the edge (one copy of grpc-js, whose
// credentials and clients must be the same classes), and what the gateway loads only on use.
// Run after `tsc -b` (npm run build does).
import { build } from 'esbuild';

const EXTERNAL = [
  'lmdb',
  'cbor-x',
  'serialport',
  '@serialport/*',
  '@coupler/proto',
  '@coupler/kit/pki',
  '@grpc/grpc-js',
  '@grpc/proto-loader',
  'protobufjs',
  'node-red',
];

const root = new URL('..', import.meta.url).pathname;
await build({
  entryPoints: [`${root}edge/dist/src/main.js`],
  outfile: `${root}edge/dist/src/main.bundle.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  logLevel: 'warning',
  // Bundled CommonJS packages call require() for node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
