// Nest 12 and a few of its dependencies ship ESM only: swc transforms them with the rest.
const esmPackages = [
  '@nestjs', 'file-type', 'load-esm', 'uid', 'strtok3', 'token-types', '@tokenizer',
  'uint8array-extras', 'cookie', 'light-my-request', 'fast-check', 'pure-rand', '@fastify', 'content-disposition', 'glob', 'minimatch', 'path-scurry', 'lru-cache', 'minipass', 'jackspeak', 'package-json-from-dist', '@isaacs', 'foreground-child', 'signal-exit', 'mime', 'send', 'fastify-plugin',
].join('|');

const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
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
  transform: { '^.+\\.(t|j|mj|cj)sx?$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // A database (and queue prefix) of its own for every integration and e2e test file.
  setupFilesAfterEnv: ['<rootDir>/test/setup/file-database.ts'],
  testTimeout: 60000,
};
