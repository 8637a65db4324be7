import { Client } from 'pg';

/** A connection of its own to `url` for `use`, always closed afterwards (by default a plain pg Client). */
export async function withPgClient<T>(url: string, use: (client: Client) => Promise<T>, ClientClass: typeof Client = Client): Promise<T> {
  const client = new ClientClass({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
