import nx from '@nx/eslint-plugin';

// Module boundaries: pure libs (contracts, mapping and sync rules) hold business rules and wire
// shapes only, so they may not import Nest, TypeORM, NATS or Postgres; libs never import apps.
const frameworkPackages = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'nats',
  '@nats-io/*',
  'nestjs-pino',
  'pino',
  'prom-client',
];

// sync-orchestrator's feature modules import one way only, lowest first:
// gateways <- settings <- engine <- runs | push <- schedule | integration (the HTTP edge of the
// settings, which starts and ends runs). Each folder may not import the ones above it.
const orchestratorLayers = [
  ['gateways', ['settings', 'engine', 'runs', 'push', 'schedule', 'integration']],
  ['settings', ['engine', 'runs', 'push', 'schedule', 'integration']],
  ['engine', ['runs', 'push', 'schedule', 'integration']],
  ['runs', ['push', 'schedule', 'integration']],
  ['push', ['runs', 'schedule', 'integration']],
  ['schedule', ['push', 'integration']],
  ['integration', ['push', 'schedule']],
];
const orchestratorBoundaries = orchestratorLayers.map(([folder, above]) => ({
  files: [`apps/sync-orchestrator/src/${folder}/**/*.ts`],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: above.map((other) => ({
          group: [`../${other}/*`],
          message: `sync-orchestrator/${folder} sits below ${other}: modules import one way (DEVELOPMENT.md, "The sync engine").`,
        })),
      },
    ],
  },
}));

// Test libraries (shared/testing, shared/service-testing: tag type:testing) start servers and
// simulators; only tests may import them, never a service's or a library's own code.
const productionDeps = {
  'type:pure': ['type:pure'],
  'type:infra': ['type:pure', 'type:infra'],
  'type:app': ['type:pure', 'type:infra'],
  'type:testing': ['type:pure', 'type:infra', 'type:testing'],
  'type:e2e': ['type:pure', 'type:infra', 'type:testing'],
  // tools/observability: checks deploy/ against the metric catalogue
  'type:tooling': ['type:pure'],
};
const testDeps = {
  ...productionDeps,
  'type:infra': ['type:pure', 'type:infra', 'type:testing'],
  'type:app': ['type:pure', 'type:infra', 'type:testing'],
};
const moduleBoundaries = (allowed) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: Object.entries(allowed).map(([sourceTag, onlyDependOnLibsWithTags]) => ({
      sourceTag,
      onlyDependOnLibsWithTags,
      ...(sourceTag === 'type:pure' ? { bannedExternalImports: frameworkPackages } : {}),
    })),
  },
];
const testFiles = [
  '**/*.spec.ts',
  '**/*.e2e-spec.ts',
  '**/test/**/*.ts',
  'apps/system-e2e/**/*.ts',
  'bench/**/*.ts',
];

// Size and branching, at the levels today's files meet (measured with skipBlankLines and
// skipComments: code lines). A file over them is one to split, not to raise the level for:
// the few that exceed today are listed below at their current size, so they cannot grow.
const MAX_LINES = 350;
const MAX_TEST_LINES = 700;
const MAX_COMPLEXITY = 20;
const linesRule = (max) => ['error', { max, skipBlankLines: true, skipComments: true }];
/** To split: [file, its code lines when the rule came in]. */
const tooLong = [
  ['apps/talentlms-sim/src/store/portal-seed.ts', 565],
  ['libs/sync-rules/src/lib/planner.ts', 423],
  ['apps/talentlms-sim/src/store/portal.store.ts', 404],
  ['apps/talentlms-sim/src/portal/portal-views.ts', 551],
  ['apps/system-e2e/src/sync-directions.e2e-spec.ts', 940],
  ['apps/talentlms-sim/src/portal/api-v1.contract.spec.ts', 1075],
  ['apps/system-e2e/src/bad-input.e2e-spec.ts', 745],
];
/** To simplify: [file, the complexity of its most branching function when the rule came in]. */
const tooBranchy = [
  ['libs/sync-rules/src/lib/training.ts', 33],
  ['apps/system-e2e/src/fault-tools.ts', 27],
  ['apps/talentlms-sim/src/store/portal-seed.ts', 27],
  ['apps/lms-connector/src/talentlms/drivers/talentlms-v1/talentlms-v1.errors.ts', 24],
  ['apps/system-e2e/src/faults.e2e-spec.ts', 22],
  ['apps/notifier/src/mail/smtp-url.ts', 21],
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(productionDeps),
      'max-lines': linesRule(MAX_LINES),
      complexity: ['error', MAX_COMPLEXITY],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  ...orchestratorBoundaries,
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(testDeps),
      'max-lines': linesRule(MAX_TEST_LINES),
    },
  },
  ...tooLong.map(([file, lines]) => ({ files: [file], rules: { 'max-lines': linesRule(lines) } })),
  ...tooBranchy.map(([file, level]) => ({
    files: [file],
    rules: { complexity: ['error', level] },
  })),
];
