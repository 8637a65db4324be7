import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { GeneratedRoute } from './openapi-responses.generated';
import { createServer, RequestListener } from 'node:http';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { echoRequestId, fastifyOptions, registerWriteRateLimit } from './common/http-options';
import { registerRequestBodies } from './common/request-bodies';
import { addSecurityHeaders, apiHeaderPicker } from './common/security-headers';
import { guardInput } from './common/input-guard';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/app-config';
import { ApiKeysService } from './modules/auth/api-keys.service';
import { bearerToken } from './modules/auth/auth.guard';
import { Metrics } from './modules/metrics';
import { documentErrorCodes } from './openapi-error-codes';
import { createScanEdge, isScanEdgePath } from './modules/scan/scan-edge';
import { SCAN_OPENAPI_PATHS } from './modules/scan/scan-routes';
import { CERTIFICATE_OPENAPI_PATHS } from './modules/certificates/certificate-public-routes';

export function jsonLogger(level: AppConfig['logLevel']): ConsoleLogger {
  const levels = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  const cut = { fatal: 1, error: 2, warn: 3, info: 4, debug: 5, trace: 6, silent: 0 }[level];
  return new ConsoleLogger({ json: true, logLevels: [...levels.slice(0, cut)] });
}

/**
 * Builds the API application (used by main.ts and by the e2e tests). Shutdown is the caller's:
 * main.ts closes it on SIGTERM/SIGINT, tests call close().
 */
export async function createApiApp(config: AppConfig, dataSource?: DataSource): Promise<NestFastifyApplication> {
  const edge = await createScanEdge(config);
  const adapter = new FastifyAdapter({
    ...fastifyOptions(config),
    // One HTTP server: scan routes go to the lean edge instance, everything else to Nest.
    serverFactory: (handler: RequestListener) => createServer((req, res) => (isScanEdgePath(req.url) ? edge.routing(req, res) : handler(req, res))),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, dataSource, edge), adapter, {
    logger: jsonLogger(config.logLevel),
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Before any route exists (Nest's are added on init, the edge's by ScanRoutes then).
  const metrics = app.get(Metrics);
  metrics.instrument(fastify);
  metrics.instrument(edge);
  echoRequestId(fastify);
  await registerWriteRateLimit(fastify, config);
  guardInput(fastify);
  addSecurityHeaders(fastify, apiHeaderPicker(config));
  const apiKeys = app.get(ApiKeysService);
  registerRequestBodies(fastify, config, async (header) => {
    const token = bearerToken(header);
    return !!token && !!(await apiKeys.authenticate(token));
  });
  app.useGlobalFilters(new DomainExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  // Built on the first request for /docs or /docs-json, not at boot: walking every route's metadata
  // costs every process start (each API replica, each test file) for a document few ever fetch.
  let document: OpenAPIObject | undefined;
  SwaggerModule.setup('docs', app, () => (document ??= openApiDocument(app)), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The OpenAPI document: Nest's routes, the scan edge's and public certificate pages, and each route's error codes. */
function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('天府溯源 Tianfu Trace API')
    .setDescription('Traceability for Sichuan agri-food: organisations, products, sites, batches, trace codes, labels and consumer scans.')
    .setVersion('1')
    .addBearerAuth()
    .build());
  Object.assign(document.paths, SCAN_OPENAPI_PATHS, CERTIFICATE_OPENAPI_PATHS);
  documentResponses(document);
  documentErrorCodes(app, document);
  return document;
}

/**
 * Each Nest route's summary (unless it has its own @ApiOperation) and the schema of its 2xx
 * response, from src/openapi-responses.generated.ts (scripts/openapi-responses.mjs reads them off
 * the controllers' doc comments and return types). A route the generator has not seen keeps what
 * Nest wrote; the OpenAPI test then names it.
 */
function documentResponses(document: OpenAPIObject): void {
  // Read here, not at import: ~200 KB of schemas (~35 ms to load) that only /docs needs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { GENERATED_PUBLIC_ROUTES, GENERATED_ROUTES } = require('./openapi-responses.generated') as {
    GENERATED_ROUTES: Record<string, GeneratedRoute>; GENERATED_PUBLIC_ROUTES: Record<string, GeneratedRoute>;
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      const generated = op?.operationId ? GENERATED_ROUTES[op.operationId] : GENERATED_PUBLIC_ROUTES[`${method.toUpperCase()} ${path}`];
      if (!op || !generated) continue;
      if (!op.summary && generated.summary) op.summary = generated.summary;
      const ok = Object.keys(op.responses ?? {}).filter((status) => /^2\d\d$/.test(status));
      for (const status of ok.length ? ok : [method === 'post' ? '201' : '200']) {
        const response = (op.responses[status] ??= { description: '' }) as { description: string; content?: Record<string, { schema: unknown }> };
        if (response.content && Object.values(response.content).some((c) => c.schema)) continue;
        response.content = generated.content ?? { 'application/json': { schema: generated.schema ?? {} } };
        response.description ||= 'OK';
      }
    }
  }
}
