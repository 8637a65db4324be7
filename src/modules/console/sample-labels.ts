import { chinaDate } from '../../../libs/codes/calendar-date';
import { renderLabelsPdf } from '../../../libs/labels';
import type { SampleView } from '../sampling';
import { lastCategory } from './views/sample-parts';

/** 检验样品, 复检备份样品, 留样: the portions a sample is split into, each labelled. */
const PORTIONS = ['检验', '备份', '留样'];

/**
 * Sample labels for samplers, drawn by the print-run label machinery (libs/labels, A4 sheets of 40):
 * the QR holds the sample number (what the lab's receive form reads), printed beside it as text;
 * no producer is named (the lab tests blind).
 */
export function sampleLabelsPdf(samples: SampleView[]): Promise<Buffer> {
  const labels = samples.flatMap((s) => PORTIONS.map((portion, i) => ({
    qrText: s.sampleNo,
    productName: `样品 ${s.sampleNo}`,
    lot: s.sampleNo,
    serial: `${i + 1}/${PORTIONS.length} ${portion}`,
    date: s.collectedAt ? chinaDate(new Date(s.collectedAt)) : chinaDate(new Date(s.createdAt)),
    producer: lastCategory(s.categoryPath).slice(0, 100),
  })));
  return renderLabelsPdf(labels, 'a4-40');
}
