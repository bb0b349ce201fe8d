// The architecture on one page: which folder may import which. Layers, bottom to top:
//
//   core/model                      the pure provider model (cache, router, quotas, pricing, latency)
//   core/random core/ledger         seeded streams; the ledger row, its writer and totals;
//   core/errors core/wire           the error catalogue; the one translation of provider request bodies
//   scenarios/                      the scenario format (kit/) and the scenario library
//   simulator/  mock-provider/      the two drivers of the model (virtual time, HTTP); siblings
//   k6/                             the k6 driver: a bundle that runs inside k6, and live orchestration
//   reports/                        reads ledgers (core/ledger) only
//   bin/                            the CLI: argument parsing and printing
//
// A folder imports only folders below it; nothing imports test/; there are no cycles. `npm test`
// runs this (`npm run lint:deps`), so the floor plan is checked, not hoped for.

/** Folders a layer may import, besides itself and npm packages. */
const MAY_IMPORT = {
  'core/model': [],
  'core/random': ['core/model'],
  'core/errors\\.ts': [],
  'core/ledger': ['core/model', 'core/errors\\.ts'],
  'core/wire': ['core/model'],
  scenarios: ['core'],
  simulator: ['core', 'scenarios'],
  'mock-provider': ['core', 'scenarios'],
  k6: ['core', 'scenarios', 'simulator', 'mock-provider'],
  reports: ['core/ledger', 'core/errors\\.ts'],
};

const layerRules = Object.entries(MAY_IMPORT).map(([from, allowed]) => ({
  name: `layer:${from.replace('\\.ts', '')}`,
  comment: `${from.replace('\\.ts', '.ts')} may import only ${allowed.length ? allowed.join(', ').replaceAll('\\.ts', '.ts') : 'itself'} (and npm packages)`,
  severity: 'error',
  from: { path: `^${from}` },
  to: { path: '^(core|scenarios|simulator|mock-provider|k6|reports|bin|test)(/|$)', pathNot: [`^${from}`, ...allowed.map((a) => `^${a}`)] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'model-is-pure',
      comment: 'core/model does no I/O: no Node built-in module (the clock, randomness and the environment are checked by test/core/model/purity.test.ts)',
      severity: 'error',
      from: { path: '^core/model' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'bundle-runs-in-k6',
      comment: 'k6/bundle runs inside k6: no Node built-ins, no mock-provider, no simulator',
      severity: 'error',
      from: { path: '^k6/bundle' },
      to: { path: '^(mock-provider|simulator|k6/(?!bundle))|^node:', pathNot: '^k6/bundle' },
    },
    {
      name: 'no-test-imports',
      comment: 'production code never imports test code',
      severity: 'error',
      from: { pathNot: '^test' },
      to: { path: '^test' },
    },
    {
      name: 'no-cycles',
      comment: 'no import cycles, between folders or files',
      severity: 'error',
      from: { pathNot: '^test' },
      to: { circular: true },
    },
    {
      name: 'resolvable',
      comment: 'every relative import resolves to a file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|runs)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
