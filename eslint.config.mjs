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
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
