/**
 * Architecture rules, checked by `npm run lint` (dependency-cruiser). See DESIGN.md "Layout" and
 * "Rules of the house".
 */
const FRAMEWORK = '^(@nestjs|typeorm|pg|ioredis|bullmq|fastify|@fastify|@electric-sql)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'libs-are-pure',
      comment: 'libs/ is pure TypeScript shared by everything: it never imports from src/.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^src/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'domain/ folders hold pure rules: no framework, database or queue code.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: { path: FRAMEWORK, dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'domain-imports-no-services',
      comment: 'domain/ folders never reach back into services, controllers, entities or modules.',
      severity: 'error',
      from: { path: '(^|/)domain/' },
      to: { path: '\\.(service|controller|entity|module|processor)\\.ts$' },
    },
    {
      name: 'no-feature-cycles',
      comment: 'Import cycles are design bugs (DESIGN.md): fix the boundary instead.',
      severity: 'error',
      from: { path: '^(src|libs)/' },
      to: { circular: true },
    },
    {
      name: 'features-meet-through-public-files',
      comment:
        'A feature reaches another only through its public file: src/modules/<f>/index.ts, or ' +
        'src/modules/<f>/domain/index.ts for its pure rules. Everything else in a feature is private.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/(domain/)?index\\.tsx?$'],
      },
    },
    {
      name: 'domain-uses-only-domains',
      comment: "Pure rules may use another feature's pure rules, never its public (framework) surface.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/domain/' },
      to: { path: '^src/modules/[^/]+/index\\.tsx?$' },
    },
    {
      name: 'no-feature-folder-cycles',
      comment: 'Two features may not depend on each other, even through different files.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+$' },
      // The central registries (entities, migrations, the app module) list every feature by design.
      to: { circular: true, viaOnly: { pathNot: '^src/(database|[^/]+\\.ts$)' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
  },
};
