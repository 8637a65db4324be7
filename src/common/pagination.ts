import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../../libs/errors';
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

/** Keyset position: rows are listed newest first by (created_at, id). */
export interface Position {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** Exactly what `Date.toISOString` writes for years 0001–9999: anything else was not made by encodeCursor. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isOurInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && value >= '0001' && new Date(value).toISOString() === value;
}

/**
 * The position in a cursor this API handed out; anything else (a crafted time PostgreSQL cannot
 * read, an id that is not a uuid) is INVALID_CURSOR, never a query.
 */
export function decodeCursor(cursor: string | undefined, field = 'cursor'): Position | undefined {
  if (!cursor) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2) {
      const [createdAt, id] = decoded as unknown[];
      if (isOurInstant(createdAt) && isUuid(id)) return { createdAt, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError('INVALID_CURSOR', `${field} is not a cursor this API returned`, { field, rule: 'format' });
}

export function toPage<T extends { createdAt: Date; id: string }, R>(rows: T[], limit: number, map: (row: T) => R): Page<R> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextCursor: hasMore && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
  };
}

/**
 * Newest first by (created_at, id), one row more than the page to know whether another follows,
 * continuing after the cursor's position. Callers add their own scope (tenant, region) filters.
 */
export function pageRows<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, limit: number, cursor: string | undefined): Promise<T[]> {
  const position = decodeCursor(cursor);
  qb.orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').take(limit + 1);
  if (position) {
    qb.andWhere(`(${alias}.created_at, ${alias}.id) < (:cursorCreatedAt, :cursorId)`, { cursorCreatedAt: position.createdAt, cursorId: position.id });
  }
  return qb.getMany();
}

export async function listPage<T extends ObjectLiteral & { createdAt: Date; id: string }, R>(
  qb: SelectQueryBuilder<T>, alias: string, limit: number, cursor: string | undefined, map: (row: T) => R,
): Promise<Page<R>> {
  return toPage(await pageRows(qb, alias, limit, cursor), limit, map);
}
