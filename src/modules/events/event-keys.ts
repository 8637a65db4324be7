/**
 * epcis_events is partitioned by month of record_time, so an event looked up by its id or eventID
 * alone is searched for in every month. Its key row in epcis_event_ids (a plain table) holds the
 * id, the eventID and the record_time: a read that only needs the eventID reads the key table, and
 * a read that needs the event joins through it, which hands each event's partition key to the
 * event scan so that PostgreSQL reads one month per event (run-time pruning in the nested loop).
 * A lateral subquery rather than a join: with a plain join the planner copies a constant id from
 * the key side to the event side and checks record_time only after reading every month.
 */
export function eventsThroughKeys(keys: string, events: string): string {
  return `epcis_event_ids ${keys} CROSS JOIN LATERAL (SELECT * FROM epcis_events WHERE id = ${keys}.id AND record_time = ${keys}.record_time OFFSET 0) ${events}`;
}
