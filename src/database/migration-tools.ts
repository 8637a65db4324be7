import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

interface SchemaQuery {
  query: string;
  parameters?: unknown[];
}

/** Source folder of the migrations (the CLI runs from dist/, migrations are committed as .ts). */
const MIGRATIONS_SRC = join(__dirname, '..', '..', '..', 'src', 'database', 'migrations');

/** What the entities need that the migrated database lacks (TypeORM's schema diff). */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: SchemaQuery[]; down: SchemaQuery[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return { up: log.upQueries as SchemaQuery[], down: log.downQueries as SchemaQuery[] };
}

function toCode(queries: SchemaQuery[]): string {
  return queries
    .map((q) => {
      const params = q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : '';
      return `    await queryRunner.query(\`${q.query.replace(/`/g, '\\`')}\`${params});`;
    })
    .join('\n');
}

/** Writes a migration class for the pending changes and registers it in migrations/index.ts. */
export async function generateMigration(dataSource: DataSource, name: string): Promise<string | null> {
  if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('Migration name must be PascalCase, e.g. AddCertificates');
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) return null;
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = `${timestamp}-${name}`;
  writeFileSync(join(MIGRATIONS_SRC, `${file}.ts`), `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${toCode(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${toCode(down.reverse())}
  }
}
`);
  const indexFile = join(MIGRATIONS_SRC, 'index.ts');
  const index = readFileSync(indexFile, 'utf8')
    .replace(/\n\n(?=\/\*\*)/, `\nimport { ${className} } from './${file}';\n\n`)
    .replace(/\n\];\n/, `\n  ${className},\n];\n`);
  writeFileSync(indexFile, index);
  return file;
}
