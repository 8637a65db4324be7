import Fastify from 'fastify';

/** The baseline: a bare Fastify hello-world, in its own process like the API. */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
void app.listen({ port: Number(process.env.PORT ?? 3900), host: '127.0.0.1' });
