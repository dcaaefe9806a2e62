// Bundles the built edge daemon (edge/dist/src/main.js and what it imports) into one ES module,
// edge/dist/src/main.bundle.js, which the image starts (deploy/edge/entrypoint.sh), and grpc-js
// with protobufjs into edge/dist/src/vendor.bundle.cjs, which it requires. Two scripts instead
// of ~800 modules: without each module's loader records, wrapper, comments and file
// caches the idle gateway holds about 12 MiB less (docs/decisions/0019). Whitespace, syntax and
// identifiers are minified (2–3 MiB less held idle, decision 0026); keepNames gives every
// function and class its own name back, so stack frames name the functions and logged errors
// their class (a method's frame reads `<minified class>.method`). main.bundle.js.map, next to it,
// maps frames to the TypeScript sources under `node --enable-source-maps` (not set by default:
// node would hold the map in memory).
// Left outside, in node_modules: native addons and packages that read files next to themselves
// (loaded with require(), below), the PKI helpers loaded only to enrol, and Node-RED (a child
// process). The validators of the configuration and of device payloads are compiled here, not
// at each start (scripts/precompiled-validators.mjs, docs/decisions/0023).
// Run after `tsc -b` (npm run build does).
import { build } from 'esbuild';
import { precompiledValidatorSources } from './precompiled-validators.mjs';

const EXTERNAL = ['@coupler/kit/pki', 'node-red'];

// Packages left in node_modules (native addons, packages that read files next to themselves)
// and loaded with require(), through their CommonJS entry: when an ES module imports CommonJS,
// node's loader first scans the CommonJS source for its export names with a WebAssembly lexer,
// and compiling that lexer costs every such process about 1.3 MiB of resident memory.
const REQUIRED = /^(lmdb|cbor-x|serialport|@serialport\/[^/]+)(\/.*)?$/;

// grpc-js and protobufjs' light build, about a hundred CommonJS files that node would resolve,
// read and wrap one by one at every start, go into a second file, edge/dist/src/vendor.bundle.cjs,
// which the daemon's bundle requires; one copy serves the edge and @coupler/proto. Bundled apart
// from the daemon, without esbuild's keepNames: each CommonJS module is bundled in a closure of
// its own, so nothing in it is renamed, and keepNames' __name calls on every function of a
// hundred files made __name the next thing V8 optimised at start. `long` is left out: it compiles
// a WebAssembly module when loaded, and 64-bit fields are JS numbers (decision 0003), which
// protobufjs reads and writes without it (docs/decisions/0025).
const VENDOR = { '@grpc/grpc-js': 'grpc', 'protobufjs/light.js': 'protobuf' };
const VENDOR_FILE = 'vendor.bundle.cjs';

const root = new URL('..', import.meta.url).pathname;
const precompiled = await precompiledValidatorSources();
const replaced = new Set();
/** @type {import('esbuild').Plugin} */
const precompiledValidators = {
  name: 'precompiled-validators',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\/validate-[\w-]+\.js$/ }, (args) => {
      const contents = precompiled.get(args.path);
      if (contents === undefined) return undefined;
      replaced.add(args.path);
      return { contents, loader: 'js' };
    });
  },
};
/** @type {import('esbuild').Plugin} */
const requiredPackages = {
  name: 'required-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: REQUIRED }, (args) =>
      args.namespace === 'required' ? { path: args.path, external: true } : { path: args.path, namespace: 'required' },
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
/** @type {import('esbuild').Plugin} */
const vendorPackages = {
  name: 'vendor-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^(@grpc\/grpc-js|protobufjs\/light\.js)$/ }, (args) => ({ path: args.path, namespace: 'vendor' }));
    pluginBuild.onResolve({ filter: /.*/, namespace: 'vendor' }, (args) => ({ path: args.path, external: true }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({
      contents: `module.exports = require('./${VENDOR_FILE}').${VENDOR[args.path]};`,
      loader: 'js',
    }));
  },
};
/** @type {import('esbuild').Plugin} */
const withoutLong = {
  name: 'without-long',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^long$/ }, () => ({ path: 'long', namespace: 'without-long' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'without-long' }, () => ({ contents: 'module.exports = null;', loader: 'js' }));
  },
};
await build({
  stdin: {
    contents: Object.entries(VENDOR).map(([pkg, name]) => `exports.${name} = require(${JSON.stringify(pkg)});`).join('\n'),
    resolveDir: root,
    loader: 'js',
  },
  outfile: `${root}edge/dist/src/${VENDOR_FILE}`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [withoutLong],
});
const daemon = await build({
  entryPoints: [`${root}edge/dist/src/main.js`],
  outfile: `${root}edge/dist/src/main.bundle.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [precompiledValidators, vendorPackages, requiredPackages],
  metafile: true,
  // Bundled CommonJS packages call require() for node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
// The edge reads its messages with the generated descriptor; @coupler/proto's sideEffects: false
// is what leaves its proto-loader module (the cloud's) out of the bundle.
const unwanted = Object.values(daemon.metafile.outputs)
  .flatMap((output) => Object.entries(output.inputs))
  .filter(([path, { bytesInOutput }]) => bytesInOutput > 0 && /node_modules\/(@grpc\/proto-loader|protobufjs)\//.test(path))
  .map(([path]) => path);
if (unwanted.length > 0) throw new Error(`the edge bundle must hold neither proto-loader nor its own protobufjs (the vendor bundle has the light build; docs/decisions/0025): ${unwanted.slice(0, 5).join(', ')}`);
const missing = [...precompiled.keys()].filter((path) => !replaced.has(path));
if (missing.length > 0) throw new Error(`precompiled validators not in the bundle (renamed or no longer imported?): ${missing.join(', ')}`);
