// Shared jest settings: SWC transform (with the decorator metadata Nest needs) and the
// tsconfig path aliases, so every project's jest config stays a few lines long.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace(/[/.]/g, '\\$&')}$`,
    path.join(__dirname, target),
  ]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** Unit and contract tests: `*.spec.ts` beside the source, nothing external. */
function unitConfig(projectDir, displayName) {
  return {
    displayName,
    rootDir: projectDir,
    testEnvironment: 'node',
    transform: { '^.+\\.[tj]s$': swc },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    setupFiles: ['reflect-metadata'],
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    coverageDirectory: path.join(__dirname, 'coverage', displayName),
  };
}

/** Integration tests: real Postgres + NATS JetStream, one file at a time. */
function integrationConfig(projectDir, displayName) {
  return {
    ...unitConfig(projectDir, displayName),
    testMatch: ['<rootDir>/test/integration/**/*.integration-spec.ts'],
    globalSetup: path.join(__dirname, 'libs/shared/testing/src/lib/jest-global-setup.ts'),
    globalTeardown: path.join(__dirname, 'libs/shared/testing/src/lib/jest-global-teardown.ts'),
    testTimeout: 60_000,
    maxWorkers: 1,
  };
}

/** End-to-end tests: the built services as processes, plus the simulator. */
function e2eConfig(projectDir, displayName) {
  return {
    ...integrationConfig(projectDir, displayName),
    testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
    testTimeout: 180_000,
  };
}

module.exports = { unitConfig, integrationConfig, e2eConfig, moduleNameMapper, swc };
