import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../../libs/errors';
import { isRealDate } from './dates';
import { isUuid } from './ids';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The one cursor scheme. A cursor is a typed keyset position tagged with its list: the list's name,
 * the kind of its sort value, the sort value and (for non-unique sort values) the row id, as base64url
 * JSON. A cursor of another list, another kind, or anything not written by `encode` is INVALID_CURSOR
 * (never a query, never a 500).
 */
interface SortValues {
  /** A timestamptz as `Date.toISOString` writes it (years 0001–9999); ties broken by id. */
  instant: string;
  /** A calendar day YYYY-MM-DD; ties broken by id. */
  date: string;
  /** A unique non-negative integer (audit seq): no id needed. */
  seq: number;
  /** The index of the next item in a list sorted in memory (the limits table). */
  offset: number;
}

export type SortKind = keyof SortValues;

type Keyed = 'instant' | 'date';

/** Where a page ends: the last row's sort value, and its id when the sort value is not unique. */
export type KeysetPosition<K extends SortKind> = K extends Keyed ? { sort: SortValues[K]; id: string } : { sort: SortValues[K] };

/** Exactly what `Date.toISOString` writes for years 0001–9999: anything else was not made by encode. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isOurInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && value >= '0001' && new Date(value).toISOString() === value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

const SORT_RULES: { [K in SortKind]: (value: unknown) => value is SortValues[K] } = {
  instant: isOurInstant, date: isRealDate, seq: isCount, offset: isCount,
};

const KEYED: Record<SortKind, boolean> = { instant: true, date: true, seq: false, offset: false };

/** A list's cursor codec: `list` names the list (a cursor of one list is refused by every other). */
export interface CursorCodec<K extends SortKind> {
  readonly list: string;
  readonly kind: K;
  encode(position: KeysetPosition<K>): string;
  /** The position of a cursor this list handed out; undefined without one; else INVALID_CURSOR naming `field`. */
  decode(cursor: string | undefined, field?: string): KeysetPosition<K> | undefined;
}

export function cursorCodec<K extends SortKind>(list: string, kind: K): CursorCodec<K> {
  const keyed = KEYED[kind];
  const parse = (cursor: string): KeysetPosition<K> | undefined => {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node's base64url decoder skips what it cannot read: only the canonical spelling is ours.
    if (bytes.toString('base64url') !== cursor) return undefined;
    const decoded: unknown = JSON.parse(bytes.toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== (keyed ? 4 : 3)) return undefined;
    const [tag, tagKind, sort, id] = decoded as unknown[];
    if (tag !== list || tagKind !== kind || !SORT_RULES[kind](sort)) return undefined;
    if (!keyed) return { sort } as KeysetPosition<K>;
    return isUuid(id) ? ({ sort, id } as KeysetPosition<K>) : undefined;
  };
  return {
    list,
    kind,
    encode(position) {
      const fields: unknown[] = [list, kind, position.sort];
      if (keyed) fields.push((position as { id: string }).id);
      return Buffer.from(JSON.stringify(fields)).toString('base64url');
    },
    decode(cursor, field = 'cursor') {
      if (!cursor) return undefined;
      let position: KeysetPosition<K> | undefined;
      try {
        position = parse(cursor);
      } catch {
        // not JSON: fall through to the error below
      }
      if (position) return position;
      throw new DomainError('INVALID_CURSOR', `${field} is not a cursor this list returned`, { field, rule: 'format' });
    },
  };
}

/** A page of `limit` rows out of `limit + 1` fetched (the extra row says another page follows). */
export function keysetPage<T, R, K extends SortKind>(
  codec: CursorCodec<K>, rows: T[], limit: number, position: (row: T) => KeysetPosition<K>, map: (row: T) => R,
): Page<R> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: hasMore && last !== undefined ? codec.encode(position(last)) : null };
}

/** The cursor of a list newest first by (created_at, id). */
export function createdAtCursor(list: string): CursorCodec<'instant'> {
  return cursorCodec(list, 'instant');
}

/**
 * The lists of entities newest first (listPage, pageRows, toPage) are named by their entity class,
 * read from the query (pageRows) and from the rows (toPage): a products cursor is refused by the
 * batches list without each caller naming its list.
 */
function entityCursor(entity: { name: string } | string): CursorCodec<'instant'> {
  return createdAtCursor(typeof entity === 'string' ? entity : entity.name);
}

export function toPage<T extends { createdAt: Date; id: string }, R>(rows: T[], limit: number, map: (row: T) => R): Page<R> {
  // Only a full page encodes a cursor, so there is a row to name the list by.
  const list = entityCursor(rows[0]?.constructor ?? 'empty');
  return keysetPage(list, rows, limit, (row) => ({ sort: row.createdAt.toISOString(), id: row.id }), map);
}

/**
 * Newest first by (created_at, id), one row more than the page to know whether another follows,
 * continuing after the cursor's position. Callers add their own scope (tenant, region) filters.
 */
export function pageRows<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, limit: number, cursor: string | undefined): Promise<T[]> {
  const main = qb.expressionMap.mainAlias;
  if (!main?.hasMetadata) throw new Error('pageRows needs a query of an entity (its class names the list)');
  const position = entityCursor(main.metadata.target).decode(cursor);
  qb.orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').take(limit + 1);
  if (position) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorCreatedAt, :cursorId)`, { cursorCreatedAt: position.sort, cursorId: position.id });
  }
  return qb.getMany();
}

export async function listPage<T extends ObjectLiteral & { createdAt: Date; id: string }, R>(
  qb: SelectQueryBuilder<T>, alias: string, limit: number, cursor: string | undefined, map: (row: T) => R,
): Promise<Page<R>> {
  return toPage(await pageRows(qb, alias, limit, cursor), limit, map);
}
