import { DataSource } from 'typeorm';
import { eventHashId } from '../../../libs/epcis';
import { auditedQuery } from '../audit';
import { TIANFU_PREFIX, tianfuNamespace } from './domain/platform-events';
import { EpcisEventRecord } from './epcis-event.entity';

/**
 * Recomputes the hash IDs of events hashed by an earlier algorithm (hash_version < 2) in batches, each
 * with its capture's @context prefixes (ours for platform events; captures made before prefixes were
 * kept have none). eventIDs stay as recorded: partners may hold them. Safe to run from several
 * processes at once (rows are locked, skipped when taken). Returns how many rows it rehashed.
 */
export async function rehashEvents(dataSource: DataSource, publicBaseUrl: string, batch = 1000): Promise<number> {
  const own = { [TIANFU_PREFIX]: tianfuNamespace(publicBaseUrl) };
  let total = 0;
  for (;;) {
    const done = await dataSource.transaction(async (m) => {
      const rows = await m.query(
        `SELECT e.id, e.source, e.document, c.prefixes FROM epcis_events e LEFT JOIN capture_jobs c ON c.id = e.capture_id
         WHERE e.hash_version < 2 ORDER BY e.id LIMIT $1 FOR UPDATE OF e SKIP LOCKED`, [batch],
      ) as { id: string; source: string; document: Record<string, unknown>; prefixes: Record<string, string> | null }[];
      if (rows.length === 0) return 0;
      const updates = rows.map((r) => ({ id: r.id, hashId: eventHashId(r.document, r.source === 'platform' ? own : r.prefixes ?? {}) }));
      await auditedQuery(m,
        `UPDATE epcis_events e SET hash_id = u."hashId", hash_version = 2
         FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, "hashId" varchar) WHERE e.id = u.id RETURNING e.id`,
        [JSON.stringify(updates)], { target: EpcisEventRecord, verb: 'update' });
      return rows.length;
    });
    total += done;
    if (done < batch) return total;
  }
}
