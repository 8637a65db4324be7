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
  // A database (and queue prefix) of its own for every integration and e2e test file.
  setupFilesAfterEnv: ['<rootDir>/test/setup/file-database.ts'],
  testTimeout: 60000,
};
