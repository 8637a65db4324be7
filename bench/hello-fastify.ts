import Fastify from 'fastify';
import { readFileSync } from 'node:fs';

/**
 * The baseline: a bare Fastify hello-world, in its own process like the API. With PAGE_FILE it
 * serves that file as HTML instead (same bytes as a scan page, nothing else), to separate the cost
 * of the payload from the cost of the platform.
 */
const page = process.env.PAGE_FILE ? readFileSync(process.env.PAGE_FILE, 'utf8') : null;
const app = Fastify({ logger: false });
app.get('/', async (_req, reply) => (page === null ? { hello: 'world' } : reply.type('text/html; charset=utf-8').send(page)));
// PORT=0 (the default): a free port, printed like the API's banner for the bench to read.
void app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' }).then((url) => process.stdout.write(`Listening on: ${url}\n`));
