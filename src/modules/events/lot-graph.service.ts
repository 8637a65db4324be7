import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { formatDecimal, Quantity } from '../../../libs/quantity';
import { auditedQuery } from '../audit';
import { LotLink, type LotLinkKind } from './lot-link.entity';
import { preparedSql } from '../../common/prepared-statements';
import { eventsThroughKeys } from './event-keys';

export interface NewLink {
  fromBatchId: string;
  toBatchId: string;
  eventId: string;
  kind: LotLinkKind;
  quantity: Quantity;
  eventTime: string;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: LotLinkKind;
  quantity: Quantity;
  eventTime: string;
  eventID: string;
  bizStep: string | null;
  /** mixing, splitting, repacking or processing (transformations recorded on the platform). */
  transformationKind: string | null;
  /** The despatch advice of a shipment, when one was given. */
  referenceDocument: string | null;
}

/** A lot of the graph as the walk reads it (the batch with its product's and owner's names). */
export interface GraphNode {
  batchId: string;
  /** Distance from the root: negative upstream, positive downstream, 0 the root. */
  depth: number;
  lotCode: string;
  traceCode: string | null;
  value: string;
  unit: string;
  producedOn: string;
  regionCode: string;
  status: string;
  organizationId: string;
  organizationName: string;
  productId: string;
  productName: string;
  gtin: string | null;
}

export interface LotGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type Direction = 'up' | 'down' | 'both';

/**
 * The walk of walk(), prepared: with the partitions of epcis_events, planning it cost PostgreSQL
 * 3.5 ms a call (issue 21, pg_stat_statements), much more than running it on a small graph.
 */
const WALK_SQL = preparedSql(
  `WITH RECURSIVE
   down(link_id, batch_id, depth) AS (
     SELECT NULL::bigint, $1::uuid, 0
     UNION
     SELECT l.id, l.to_batch_id, d.depth + 1 FROM down d
     CROSS JOIN LATERAL (SELECT id, to_batch_id FROM lot_links WHERE from_batch_id = d.batch_id OFFSET 0) l
     WHERE d.depth < $2 AND $3::boolean
   ),
   up(link_id, batch_id, depth) AS (
     SELECT NULL::bigint, $1::uuid, 0
     UNION
     SELECT l.id, l.from_batch_id, u.depth - 1 FROM up u
     CROSS JOIN LATERAL (SELECT id, from_batch_id FROM lot_links WHERE to_batch_id = u.batch_id OFFSET 0) l
     WHERE u.depth > -$2 AND $4::boolean
   ),
   walked AS MATERIALIZED (SELECT * FROM down UNION ALL SELECT * FROM up),
   links AS MATERIALIZED (SELECT DISTINCT link_id FROM walked WHERE link_id IS NOT NULL)
   SELECT
     (SELECT coalesce(json_agg(json_build_object('batchId', n.batch_id, 'depth', n.depth,
         'lotCode', b.lot_code, 'traceCode', b.trace_code, 'value', b.quantity_value::text, 'unit', b.quantity_unit,
         'producedOn', b.produced_on, 'regionCode', b.region_code, 'status', b.status,
         'organizationId', b.organization_id, 'organizationName', o.name,
         'productId', b.product_id, 'productName', p.name, 'gtin', p.gtin)), '[]'::json)
        FROM (SELECT batch_id,
                     coalesce(min(depth) FILTER (WHERE depth > 0), max(depth) FILTER (WHERE depth < 0), 0) AS depth
              FROM walked GROUP BY batch_id) n
        CROSS JOIN LATERAL (SELECT * FROM batches WHERE id = n.batch_id OFFSET 0) b
        CROSS JOIN LATERAL (SELECT name, gtin FROM products WHERE id = b.product_id OFFSET 0) p
        CROSS JOIN LATERAL (SELECT name FROM organizations WHERE id = b.organization_id OFFSET 0) o) AS nodes,
     (SELECT coalesce(json_agg(json_build_object(
         'id', l.id::text, 'from', l.from_batch_id, 'to', l.to_batch_id, 'kind', l.kind,
         'value', l.quantity_value::text, 'unit', l.quantity_unit, 'eventTime', l.event_time,
         'eventID', e.event_id, 'bizStep', e.biz_step, 'transformationKind', e.document ->> 'tianfu:transformationKind',
         'referenceDocument', e.document #>> '{bizTransactionList,0,bizTransaction}')), '[]'::json)
        FROM links k
        CROSS JOIN LATERAL (SELECT * FROM lot_links WHERE id = k.link_id OFFSET 0) l
        CROSS JOIN LATERAL (SELECT ev.event_id, ev.biz_step, ev.document FROM ${eventsThroughKeys('ek', 'ev')} WHERE ek.id = l.event_id OFFSET 0) e) AS edges`);

/**
 * The lot genealogy: edges in `lot_links`, walked with one WITH RECURSIVE query (both directions,
 * depth-capped; UNION drops repeated (link, lot, depth) rows, so diamonds do not multiply).
 * The same statement reads each lot's batch row with its product and owner names (by primary key):
 * a trace is one round trip, which is what keeps its p95 low. It reads those features' tables
 * read-only, as the products list reads organizations; their services stay the only writers.
 */
@Injectable()
export class LotGraphService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async addLinks(manager: EntityManager, links: NewLink[]): Promise<void> {
    if (links.length === 0) return;
    await auditedQuery(manager,
      `INSERT INTO lot_links (from_batch_id, to_batch_id, event_id, kind, quantity_value, quantity_unit, event_time)
       SELECT l."fromBatchId", l."toBatchId", l."eventId", l.kind, l.value, l.unit, l."eventTime"
       FROM jsonb_to_recordset($1::jsonb) AS l("fromBatchId" uuid, "toBatchId" uuid, "eventId" uuid, kind varchar, value numeric, unit varchar, "eventTime" timestamptz)
       RETURNING id`,
      [JSON.stringify(links.map((l) => ({ ...l, value: l.quantity.value, unit: l.quantity.unit })))], { target: LotLink, verb: 'insert' });
  }

  /** Would linking these inputs into these outputs close a loop (an output upstream of, or equal to, an input)? */
  async wouldCycle(inputIds: string[], outputIds: string[], manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    if (inputIds.some((id) => outputIds.includes(id))) return true;
    const rows = await manager.query(
      `WITH RECURSIVE up(id) AS (
         SELECT unnest($1::uuid[])
         UNION
         SELECT l.from_batch_id FROM lot_links l JOIN up ON l.to_batch_id = up.id
       )
       SELECT 1 FROM up WHERE id = ANY($2::uuid[]) LIMIT 1`,
      [inputIds, outputIds],
    ) as unknown[];
    return rows.length > 0;
  }

  /**
   * How much of each lot transformations consumed, recorded on the platform or captured (an input's
   * quantity is on each of its output edges: counted once per event).
   */
  async consumedByTransformations(manager: EntityManager, batchId: string): Promise<Quantity[]> {
    const rows = await manager.query(
      `SELECT DISTINCT ON (event_id) quantity_value AS value, quantity_unit AS unit FROM lot_links
       WHERE from_batch_id = $1 AND kind IN ('transformation', 'capture')`,
      [batchId],
    ) as { value: string; unit: string }[];
    return rows.map((r) => ({ value: formatDecimal(r.value), unit: r.unit as Quantity['unit'] }));
  }

  /** Does any link lead into this lot (it has upstream)? */
  async hasUpstream(batchId: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM lot_links WHERE to_batch_id = $1 LIMIT 1', [batchId]) as unknown[];
    return rows.length > 0;
  }

  /**
   * The lot graph around a root, in one statement. The recursive terms read lot_links through a
   * LATERAL subquery so every step is an index lookup on (from|to, …) however large the table is;
   * the rows carry the edge itself, so edges need no second pass over lot_links.
   */
  async walk(rootId: string, direction: Direction, depth: number): Promise<LotGraph> {
    const [row] = await this.dataSource.query(WALK_SQL, [rootId, depth, direction !== 'up', direction !== 'down']) as {
      nodes: GraphNode[]; edges: (Omit<GraphEdge, 'quantity'> & { value: string; unit: string })[];
    }[];
    row.edges.sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : Number(a.id) - Number(b.id)));
    return {
      nodes: row.nodes,
      edges: row.edges.map(({ value, unit, ...e }) => ({
        ...e,
        eventTime: new Date(e.eventTime).toISOString(),
        referenceDocument: e.referenceDocument ? decodeURIComponent(e.referenceDocument.replace(/^.*\/(?:desadv|bol|inv|po|recadv|doc)\//, '')) : null,
        quantity: { value: formatDecimal(value), unit: unit as Quantity['unit'] },
      })),
    };
  }
}
