import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { importRejected } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { Page, listPage } from '../../common/pagination';
import { Actor, actorRef, isAdmin, regulatorPrefix } from '../auth';
import { findRegion, regionPrefix } from '../regions/domain';
import { parseStatPeriod, readMarketSamplingCsv } from './domain/market-sampling-csv';
import { ImportMarketSamplingQueryDto, ListMarketSamplingQueryDto } from './dto/market-sampling.dto';
import { MarketSamplingImport, MarketSamplingStat } from './market-sampling.entity';

export interface MarketSamplingFigure {
  period: string;
  periodFrom: string;
  periodTo: string;
  regionCode: string;
  regionName: string;
  samples: number;
  failed: number;
  /** (samples − failed) ÷ samples. */
  passRate: number;
  source: string;
  fileName: string | null;
  importedAt: string;
}

export interface MarketSamplingImportReport {
  importId: string;
  source: string;
  fileName: string | null;
  periods: string[];
  rows: number;
  /** Rows of the same periods (inside the importer's region) that the import replaced. */
  replaced: number;
}

/** Serialises imports: two imports of one period must not interleave their delete and insert. */
const IMPORT_LOCK = 'market_sampling_import';

/**
 * The market regulator's (市场监管部门) published food-sampling results — the figure the plan's
 * 食品抽检合格率 target is judged on — imported by a provincial regulator (or the admin) from CSV
 * and shown on the dashboard beside the platform's own agricultural sampling stream.
 */
@Injectable()
export class MarketSamplingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Reads the whole file; any row with a problem rejects it (422, every problem listed). Otherwise,
   * in one transaction, the periods in the file are replaced inside the importer's province (the
   * admin: each province the file names): rows of those periods not in the file are removed, so a
   * corrected re-import leaves no stale figure.
   */
  async importCsv(actor: Actor, csv: string, meta: ImportMarketSamplingQueryDto): Promise<MarketSamplingImportReport> {
    const scope = importScope(actor);
    const { rows, problems, rowCount } = readMarketSamplingCsv(csv, scope);
    if (problems.length) throw importRejected('MARKET_SAMPLING_IMPORT_REJECTED', rowCount, problems);
    if (!rows.length) throw importRejected('MARKET_SAMPLING_IMPORT_REJECTED', 0, [{ row: 1, column: null, code: 'EMPTY_FILE', message: 'the file has no data rows' }]);
    const periods = [...new Set(rows.map((r) => r.period.key))].sort();
    const source = meta.source.trim();
    const fileName = meta.fileName?.trim() || null;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [IMPORT_LOCK]);
      const record = await manager.save(manager.create(MarketSamplingImport, {
        source, fileName, organizationId: actor.organizationId, importedBy: actorRef(actor), scopeCode: scope, periods, rowCount: rows.length,
      }));
      // The province(s) replaced: the importer's; for the admin, each province the file names.
      const provinces = scope ? [regionPrefix(scope).slice(0, 2)] : [...new Set(rows.map((r) => r.regionCode.slice(0, 2)))];
      const replaced = (await manager.createQueryBuilder().delete().from(MarketSamplingStat)
        .where({ period: In(periods) }).andWhere('left(region_code, 2) IN (:...provinces)', { provinces }).execute()).affected ?? 0;
      for (let start = 0; start < rows.length; start += 2000) {
        await manager.insert(MarketSamplingStat, rows.slice(start, start + 2000).map((r) => ({
          period: r.period.key, periodFrom: r.period.from, periodTo: r.period.to, regionCode: r.regionCode, samples: r.samples, failed: r.failed, importId: record.id,
        })));
      }
      return { importId: record.id, source, fileName, periods, rows: rows.length, replaced };
    });
  }

  /** Figures a regulator's region holds (all for the admin), newest import first. */
  async list(actor: Actor, q: ListMarketSamplingQueryDto): Promise<Page<MarketSamplingFigure>> {
    const qb = this.dataSource.getRepository(MarketSamplingStat).createQueryBuilder('s');
    const prefix = readPrefix(actor);
    if (prefix) qb.andWhere('s.region_code LIKE :prefix', { prefix: `${prefix}%` });
    if (q.regionCode) qb.andWhere('s.region_code = :code', { code: q.regionCode });
    if (q.period) {
      const period = parseStatPeriod(q.period);
      if (!period) throw new DomainError('VALIDATION_FAILED', 'period: write 2026, 2026-Q3, 2026-H1 or 2026-05', { fields: [{ field: 'period', rule: 'period', message: 'write 2026, 2026-Q3, 2026-H1 or 2026-05' }] });
      qb.andWhere('s.period = :period', { period: period.key });
    }
    const page = await listPage(qb, 's', q.limit ?? 50, q.cursor, (s) => s);
    return { items: await this.figures(page.items), nextCursor: page.nextCursor };
  }

  /**
   * The published figure for a region and a window of months (`YYYY-MM`): of the periods that
   * overlap the window, one inside it first, then the latest to end, then the longest (H1 before
   * Q2); for the region itself or, lacking one, its nearest enclosing region (a county shows its
   * city's or province's figure, labelled with that region). Null: none.
   */
  async figureFor(regionCode: string, from: string, to: string): Promise<MarketSamplingFigure | null> {
    const codes = [regionCode, `${regionCode.slice(0, 4)}00`, `${regionCode.slice(0, 2)}0000`].filter((c, i, all) => all.indexOf(c) === i);
    const rows = await this.dataSource.getRepository(MarketSamplingStat).createQueryBuilder('s')
      .where('s.region_code IN (:...codes)', { codes })
      .andWhere('s.period_from <= :to AND s.period_to >= :from', { from, to })
      .getMany();
    if (!rows.length) return null;
    const inside = (s: MarketSamplingStat) => (s.periodFrom >= from && s.periodTo <= to ? 0 : 1);
    const best = rows.sort((a, b) => codes.indexOf(a.regionCode) - codes.indexOf(b.regionCode)
      || inside(a) - inside(b) || b.periodTo.localeCompare(a.periodTo) || a.periodFrom.localeCompare(b.periodFrom))[0];
    return (await this.figures([best]))[0];
  }

  private async figures(rows: MarketSamplingStat[]): Promise<MarketSamplingFigure[]> {
    const imports = rows.length
      ? await this.dataSource.getRepository(MarketSamplingImport).findBy({ id: In([...new Set(rows.map((r) => r.importId))]) })
      : [];
    const byId = new Map(imports.map((i) => [i.id, i]));
    return rows.map((s) => {
      const from = byId.get(s.importId)!;
      return {
        period: s.period, periodFrom: s.periodFrom, periodTo: s.periodTo, regionCode: s.regionCode, regionName: findRegion(s.regionCode)?.fullName ?? s.regionCode,
        samples: s.samples, failed: s.failed, passRate: (s.samples - s.failed) / s.samples,
        source: from.source, fileName: from.fileName, importedAt: from.createdAt.toISOString(),
      };
    });
  }
}

/** The region an importer may write: a provincial regulator's province; the admin: everywhere (null). */
function importScope(actor: Actor): string | null {
  if (isAdmin(actor)) return null;
  const prefix = regulatorPrefix(actor);
  if (prefix === null || prefix.length !== 2) {
    throw new DomainError('FORBIDDEN', "Only a provincial regulator (or the admin) imports the market regulator's sampling statistics");
  }
  return actor.regionCode;
}

function readPrefix(actor: Actor): string | null {
  if (isAdmin(actor)) return null;
  const prefix = regulatorPrefix(actor);
  if (prefix === null) throw new DomainError('FORBIDDEN', 'Only regulators read the sampling statistics');
  return prefix;
}

