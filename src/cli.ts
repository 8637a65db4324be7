import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { isDomainError } from '../libs/errors';
import { ed25519PublicKeyOf, KeyFormatError, parseEd25519PublicKey } from '../libs/signing';
import { ConfigError, loadConfig } from './config/app-config';
import { closeEmbeddedDatabase, createDataSource } from './database/data-source';
import { generateMigration, pendingSchemaChanges } from './database/migration-tools';
import { migrateAndSeed } from './database/prepare';
import { AppModule } from './app.module';
import { jsonLogger } from './bootstrap';
import { seedDemo } from './demo/demo-seed';
import { setDefaultAuditActor } from './modules/audit/audit-context';
import { verifyAuditCheckpoint } from './modules/audit/audit-checkpoints';
import { sealPendingAuditNow, verifyAuditLog } from './modules/audit/audit-log';
import { parseCheckpoint } from './modules/audit/domain/audit-checkpoint';
import { ADMIN_ACTOR } from './modules/auth/actor';
import { KEY_ROLES, KeyRole } from './modules/auth/roles';
import { OrganizationsService } from './modules/organizations/organizations.service';

const USAGE = `Usage: node dist/src/cli.js <command>
  migrate                          run pending migrations and seed reference data
  seed                             (re)load reference data (food categories, starter limit table)
  demo                             load the demo data set (once)
  create-api-key <orgId> <role>    print a new API key (roles: ${KEY_ROLES.join(', ')})
  audit:verify                     check the audit log's hash chain (exit 1 at the first broken link)
  audit:verify --checkpoint <file or JSON> [--public-key <PEM file, PEM or base64>]
                                   check a signed checkpoint: its signature (default key: AUDIT_SIGNING_KEY's),
                                   the chain up to its seq, and that entry's hash (exit 1 when any fails)
  migration:generate <Name>        write a migration for entity changes (development)
  migration:check                  exit 1 when entities and migrations differ (CI)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const config = loadConfig();
  setDefaultAuditActor('cli');
  const dataSource = await createDataSource(config);
  await dataSource.initialize();
  try {
    switch (command) {
      case 'migrate':
      case 'seed': {
        const result = await migrateAndSeed(dataSource, config.publicBaseUrl);
        console.log(JSON.stringify(result));
        return 0;
      }
      case 'migration:generate': {
        await dataSource.runMigrations();
        const file = await generateMigration(dataSource, args[0] ?? '');
        console.log(file ? `wrote src/database/migrations/${file}.ts` : 'no changes');
        return 0;
      }
      case 'migration:check': {
        await dataSource.runMigrations();
        const { up } = await pendingSchemaChanges(dataSource);
        if (up.length === 0) {
          console.log('migrations match the entities');
          return 0;
        }
        console.error(`entities and migrations differ; run migration:generate:\n${up.map((q) => q.query).join(';\n')}`);
        return 1;
      }
      case 'audit:verify': {
        const options = cliInput('audit:verify', () => parseArgs({
          args, options: { checkpoint: { type: 'string' }, 'public-key': { type: 'string' } }, strict: true, allowPositionals: false,
        }).values);
        if (options.checkpoint === undefined) {
          await sealPendingAuditNow(dataSource.manager);
          const result = await verifyAuditLog(dataSource.manager);
          console.log(JSON.stringify(result, null, 2));
          return result.valid ? 0 : 1;
        }
        const checkpointArg = options.checkpoint;
        const checkpoint = cliInput('--checkpoint', () => parseCheckpoint(JSON.parse(jsonOrFile(checkpointArg))));
        const keyArg = options['public-key'];
        const publicKey = keyArg === undefined
          ? ed25519PublicKeyOf(config.auditSigningKey)
          : cliInput('--public-key', () => parseEd25519PublicKey(keyOrFile(keyArg), '--public-key'));
        const result = await verifyAuditCheckpoint(dataSource.manager, checkpoint, publicKey);
        console.log(JSON.stringify(result, null, 2));
        if (!result.valid) console.error(result.message);
        return result.valid ? 0 : 1;
      }
      case 'demo':
      case 'create-api-key': {
        await migrateAndSeed(dataSource);
        const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, dataSource), { logger: jsonLogger('warn') });
        try {
          if (command === 'demo') {
            console.log(JSON.stringify(await seedDemo(app, config), null, 2));
          } else {
            const [orgId, role] = args;
            if (!orgId || !(KEY_ROLES as readonly string[]).includes(role)) throw new ConfigError(USAGE);
            const key = await app.get(OrganizationsService).createApiKey(ADMIN_ACTOR, orgId, role as KeyRole, 'cli');
            console.log(key.token);
          }
        } finally {
          await app.close();
        }
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await closeEmbeddedDatabase();
  }
}

/** A JSON argument given inline (`{…}`) or as a file path. */
function jsonOrFile(value: string): string {
  return value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
}

/** A key given inline (PEM text or base64) or as a file path. */
function keyOrFile(value: string): string {
  return !value.includes('-----BEGIN') && existsSync(value) ? readFileSync(value, 'utf8') : value;
}

/** Bad command-line input becomes a ConfigError: one line naming the option, exit 1. */
function cliInput<T>(option: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (isDomainError(error) || error instanceof KeyFormatError || error instanceof SyntaxError || error instanceof TypeError
      || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(`${option}: ${(error as Error).message}`);
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
