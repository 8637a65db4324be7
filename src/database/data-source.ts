import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { PreparingClient } from '../common/prepared-statements';

type DbConfig = Pick<AppConfig, 'databaseUrl' | 'dataDir'>;

const COMMON = {
  type: 'postgres' as const,
  entities: ENTITIES,
  migrations: MIGRATIONS,
  synchronize: false,
  migrationsRun: false,
  uuidExtension: 'pgcrypto' as const,
  // Failed queries surface as errors where they matter (a 500 is logged by the exception filter);
  // expected ones (unique violations turned into 409s) are not noise in the logs.
  logging: false,
};

/**
 * Without DATABASE_URL the platform runs on PGlite (PostgreSQL compiled to WASM) through its
 * node-postgres adapter. PGlite is a single connection, so the pool holds exactly one client and
 * keeps it forever (closing it would close the database).
 */
/** The embedded database, when this process opened one (a type from the ESM build). */
let embedded: { close(): Promise<void>; closed: boolean } | undefined;

async function embeddedOptions(dataDir: string): Promise<DataSourceOptions> {
  const pgdata = join(dataDir, 'pgdata');
  mkdirSync(pgdata, { recursive: true });
  // The ESM build: PGlite's CommonJS bundle looks for its data files in the wrong folder.
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
  // We own the instance (node-postgres never closes it): see closeEmbeddedDatabase().
  const pglite = new PGliteClass(pgdata, { extensions: { pgcrypto } });
  embedded = pglite;
  const pgConfig = createPgConfig(pglite);
  return {
    ...COMMON,
    host: pgConfig.host,
    port: pgConfig.port,
    username: pgConfig.user,
    password: pgConfig.password,
    database: pgConfig.database,
    poolSize: 1,
    extra: { connection: pgConfig.connection, max: 1, idleTimeoutMillis: 0 },
  };
}

async function dataSourceOptions(config: DbConfig): Promise<DataSourceOptions> {
  if (!config.databaseUrl) return embeddedOptions(config.dataDir);
  // JIT off for our sessions: the platform's queries are short, and JIT compilation triggered by
  // pessimistic row estimates (aggregate reads, folds, reports) cost up to seconds per statement.
  return { ...COMMON, url: config.databaseUrl, poolSize: 10, extra: { application_name: 'tianfu-trace', options: '-c jit=off', Client: PreparingClient } };
}

/**
 * Options for Nest's TypeOrmModule: those of the DataSource the caller already opened, else new
 * ones. Asking dataSourceOptions() again would open a second embedded PGlite on the same data
 * directory; closing that one at shutdown wrote its stale view over the real one's, and every write
 * made after start was lost on restart.
 */
export async function moduleDataSourceOptions(config: DbConfig, dataSource?: DataSource): Promise<DataSourceOptions> {
  return dataSource ? dataSource.options : dataSourceOptions(config);
}

export async function createDataSource(config: DbConfig): Promise<DataSource> {
  return new DataSource(await dataSourceOptions(config));
}

/**
 * Shuts the embedded database down cleanly, after the DataSource is destroyed. A PGlite that is
 * killed instead may abort when its data directory is opened again.
 */
export async function closeEmbeddedDatabase(): Promise<void> {
  const instance = embedded;
  embedded = undefined;
  if (instance && !instance.closed) await instance.close();
}
