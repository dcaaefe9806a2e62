// Bundles the built edge daemon (edge/dist/src/main.js and what it imports) into one ES module,
// edge/dist/src/main.bundle.js, which the image starts (deploy/edge/entrypoint.sh). One script
// instead of ~700 modules: without each module's loader records, wrapper, comments and file
// caches the idle gateway holds about 12 MiB less (docs/decisions/0019). Whitespace and syntax
// are minified, names kept, so stack traces still name the functions.
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
// and compiling that lexer costs every such process about 1.3 MiB of resident memory. One
// copy of grpc-js serves the edge and @coupler/proto, both in the bundle.
const REQUIRED = /^(lmdb|cbor-x|serialport|@serialport\/[^/]+|@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)(\/.*)?$/;

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
  plugins: [precompiledValidators, requiredPackages],
  // Bundled CommonJS packages call require() for node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
const missing = [...precompiled.keys()].filter((path) => !replaced.has(path));
if (missing.length > 0) throw new Error(`precompiled validators not in the bundle (renamed or no longer imported?): ${missing.join(', ')}`);
