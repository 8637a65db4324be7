import { Injectable } from '@nestjs/common';
import { formatDecimal } from '../../../libs/quantity';
import { BatchesService } from '../batches';
import { DISPOSAL_METHODS, DisposalsService } from '../disposals';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { RECALL_GRADES, RecallGrade, RecallsService } from '../recalls';
import { findRegion, Region } from '../regions/domain';
import { SamplesService } from '../sampling';
import { STREAM_LABELS, TestStream } from '../test-records/domain';
import { chineseDate, NoticePeriod } from './domain/notice-periods';

/** One line of a notices page: public facts only, written out in plain Chinese. */
export interface NoticeItem {
  /** Anchor on the page (recalls: `recall-<id>`, linked from the scan page). */
  anchor: string;
  date: string;
  text: string;
}

export interface RegionNotices {
  region: Pick<Region, 'code' | 'fullName'>;
  period: NoticePeriod;
  failures: NoticeItem[];
  recalls: NoticeItem[];
  disposals: NoticeItem[];
}

const leaf = (path: string) => path.split('>').pop() ?? path;
const regionName = (code: string) => findRegion(code)?.fullName ?? code;

/**
 * Public disclosure (曝光, 社会监督; DOMAIN.md §11): a region's failed samples once the recheck
 * window has closed, its recalls and its disposals in a period, in plain Chinese. Only what a notice
 * board would print: names of producers, products, dates, outcomes — no ids, values or lab internals.
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly samples: SamplesService,
    private readonly recalls: RecallsService,
    private readonly disposals: DisposalsService,
    private readonly organizations: OrganizationsService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
  ) {}

  async forRegion(region: Region, period: NoticePeriod): Promise<RegionNotices> {
    const prefix = region.level === 'province' ? region.code.slice(0, 2) : region.level === 'prefecture' ? region.code.slice(0, 4) : region.code;
    const [failures, recalls, disposals] = await Promise.all([
      this.samples.publicFailures(prefix, period.from, period.to),
      this.recalls.inRegion(prefix, period.from, period.to),
      this.disposals.inRegion(prefix, period.from, period.to),
    ]);
    const batchRows = await this.batches.byIds(disposals.map((d) => d.batchId));
    const productOf = new Map(batchRows.map((b) => [b.id, b.productId]));
    const [names, products] = await Promise.all([
      this.organizations.summaries([...failures.map((f) => f.organizationId), ...disposals.map((d) => d.organizationId),
        ...recalls.flatMap((r) => (r.initiatedByOrganizationId ? [r.initiatedByOrganizationId] : []))]),
      this.products.byIds([...productOf.values()]),
    ]);
    const org = (id: string | null) => (id ? names.get(id)?.name : undefined) ?? '相关生产经营者';
    return {
      region: { code: region.code, fullName: region.fullName },
      period,
      failures: failures.map((f) => ({
        anchor: `sample-${f.sampleNo}`, date: f.judgedOn,
        text: `${chineseDate(f.judgedOn)}，${regionName(f.regionCode)}${org(f.organizationId)}的${leaf(f.categoryPath)}在${STREAM_LABELS[f.stream as TestStream] ?? '抽检'}中检测不合格。`,
      })),
      recalls: recalls.map((r) => {
        const day = new Date(r.createdAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
        const grade = r.grade ? `（${RECALL_GRADES[r.grade as RecallGrade].name}召回）` : '';
        const product = r.rows[0]?.product ?? '产品';
        const state = r.closedAt ? '已完成召回。' : r.finishBy ? `应于${chineseDate(r.finishBy)}前完成。` : '正在召回。';
        return { anchor: `recall-${r.id}`, date: day, text: `${chineseDate(day)}起，${org(r.initiatedByOrganizationId)}召回${product}${grade}，涉及${r.lotCount}个批次，原因：${r.reason}。${state}` };
      }),
      disposals: disposals.map((d) => {
        const product = products.get(productOf.get(d.batchId) ?? '')?.name ?? '不合格产品';
        return {
          anchor: `disposal-${d.id}`, date: d.disposedOn,
          text: `${chineseDate(d.disposedOn)}，${org(d.organizationId)}的${product}${formatDecimal(d.quantityValue)}${d.quantityUnit}已${DISPOSAL_METHODS[d.method]}，见证人：${d.witness}。`,
        };
      }),
    };
  }
}
