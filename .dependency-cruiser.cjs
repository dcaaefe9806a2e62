// Encodes the dependency rules of STYLE.md §2 (see docs/architecture.md). `npm test` runs it.
const EDGE_CAPABILITIES = '(bus|buffer|energy|sync|ota|flows|nodered|desired|api|devices/[^/]+)';
const CLOUD_CAPABILITIES =
  '(grpc|identity|fleet|desired|rollouts|artifacts|telemetry|store|dashboard|templates)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make start-up order and tests fragile (STYLE §2.6).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'capability-imports-capability',
      severity: 'error',
      comment:
        'Capabilities never import each other; declare the interface you need in your own ' +
        'folder (ports.ts) and let the composition root pass it in (STYLE §2.3). A test next to ' +
        'the code may wire a real collaborator in, as the root would.',
      from: { path: `^edge/src/${EDGE_CAPABILITIES}/`, pathNot: '\\.test\\.ts$' },
      to: { path: `^edge/src/${EDGE_CAPABILITIES}/`, pathNot: '^edge/src/$1/' },
    },
    {
      name: 'cloud-capability-imports-capability',
      severity: 'error',
      comment: 'Capabilities never import each other (STYLE §2.3); a test next to the code may wire a real collaborator in.',
      from: { path: `^cloud/src/${CLOUD_CAPABILITIES}/`, pathNot: '\\.test\\.ts$' },
      to: { path: `^cloud/src/${CLOUD_CAPABILITIES}/`, pathNot: '^cloud/src/$1/' },
    },
    {
      name: 'lib-imports-only-node-and-npm',
      severity: 'error',
      comment: 'lib/ holds generic helpers with no domain imports (STYLE §2.1).',
      from: { path: '^(edge|cloud)/src/lib/' },
      to: { path: '^(edge|cloud|proto)/', pathNot: '^$1/src/lib/' },
    },
    {
      name: 'foundation-imports-only-lib',
      severity: 'error',
      comment: 'observability/ and config/ import only lib/ (STYLE §2.2).',
      from: { path: '^(edge|cloud)/src/(observability|config)/' },
      to: { path: '^(edge|cloud)/src/', pathNot: '^$1/src/($2|lib)/' },
    },
    {
      name: 'records-are-pure',
      severity: 'error',
      comment: 'records/ imports nothing of ours (STYLE §2.2).',
      from: { path: '^edge/src/records/' },
      to: { path: '^(edge|cloud|proto)/', pathNot: '^edge/src/records/' },
    },
    {
      name: 'no-deep-import-from-root',
      severity: 'error',
      comment: "A folder's index.ts is its public API (STYLE §2.6).",
      from: { path: '^(edge|cloud)/src/[^/]+\\.ts$' },
      to: { path: '^(edge|cloud)/src/.+/', pathNot: '/index\\.ts$' },
    },
    {
      name: 'no-deep-import-across-folders',
      severity: 'error',
      comment: "A folder's index.ts is its public API (STYLE §2.6).",
      from: { path: '^(edge|cloud)/src/([^/]+)/' },
      to: {
        path: '^(edge|cloud)/src/',
        pathNot: ['^$1/src/$2/', '/index\\.ts$', '^$1/src/[^/]+\\.ts$'],
      },
    },
    {
      name: 'edge-and-cloud-share-only-proto',
      severity: 'error',
      comment: 'edge and cloud never import each other (STYLE §2.7).',
      from: { path: '^(edge|cloud)/' },
      to: { path: '^(edge|cloud)/', pathNot: '^$1/' },
    },
    {
      name: 'src-never-imports-sim-or-tests',
      severity: 'error',
      comment: 'Simulators and test helpers are never part of the daemon (STYLE §1).',
      from: { path: '^(edge|cloud)/src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(edge|cloud)/(sim|test)/' },
    },
    {
      name: 'serialport-on-first-use',
      severity: 'error',
      comment:
        'serialport and its native binding load only when a serial device is configured: get ' +
        'it from loadSerialPort() (lib/serial-port.ts); `import type` is fine (decision 0015).',
      from: { path: '^edge/src/', pathNot: ['^edge/src/lib/serial-port\\.ts$', '\\.test\\.ts$'] },
      to: { path: '(^|/)node_modules/(serialport|@serialport/[^/]+)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stay out of the graph, but for serialport (rule serialport-on-first-use).
    exclude: { path: '^[a-z]+/dist/|node_modules/(?!serialport/|@serialport/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['development', 'import', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
