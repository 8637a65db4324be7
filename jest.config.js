// Nest 12 and a few of its dependencies ship ESM only: swc transforms them with the rest.
const esmPackages = [
  '@nestjs', 'file-type', 'load-esm', 'uid', 'strtok3', 'token-types', '@tokenizer',
  'uint8array-extras', 'cookie', 'light-my-request', 'fast-check', 'pure-rand', '@fastify', 'content-disposition', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'minipass', 'jackspeak', 'package-json-from-dist', '@isaacs', 'foreground-child', 'signal-exit', 'mime', 'send', 'fastify-plugin',
].join('|');

const swcFor = (tsx) => ['@swc/jest', {
  swcrc: false, // everything is here: .swcrc (for the build) has one entry per extension and matches no .js
  jsc: {
    parser: { syntax: 'typescript', tsx, decorators: true, dynamicImport: true },
    // Views are .tsx: JSX compiles to preact's automatic runtime (rendered to strings, see src/common/html.tsx).
    transform: { legacyDecorator: true, decoratorMetadata: true, ...(tsx ? { react: { runtime: 'automatic', importSource: 'preact' } } : {}) },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs', ignoreDynamic: true },
}];

const testTimeout = 60_000;
process.env.TEST_TIMEOUT_MS ??= String(testTimeout); // read by test/setup/test-timeouts.ts in each worker

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  // .ts keeps TypeScript's own syntax (`<T>x` casts); only .tsx files parse JSX.
  transform: { '^.+\\.tsx$': swcFor(true), '^.+\\.(t|j|mj|cj)s$': swcFor(false), '^.+\\.jsx$': swcFor(true) },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // Test files run in plain Node processes that keep modules loaded from one file to the next
  // (jest-light-runner): Nest, TypeORM and the app load once per worker instead of once per file.
  // TypeScript is compiled by @swc-node/register, set up by `npm test` (NODE_OPTIONS); the transform
  // above still serves the global setup and teardown, which Jest itself loads.
  // The runner also gives each file a deadline (test/setup/deadline-runner.mjs): a child stuck outside
  // a test is reported and replaced instead of holding the run until CI's limit.
  runner: ['<rootDir>/test/setup/deadline-runner.mjs', { runtime: 'child_process' }],
  // The runner does not enforce timeouts; this setup file does (with testTimeout below).
  setupFilesAfterEnv: ['<rootDir>/test/setup/test-timeouts.ts'],
  testTimeout,
};
