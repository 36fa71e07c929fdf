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

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:pure',
              onlyDependOnLibsWithTags: ['type:pure'],
              bannedExternalImports: frameworkPackages,
            },
            { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:pure', 'type:infra'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:pure', 'type:infra'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:pure', 'type:infra'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...orchestratorBoundaries,
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
