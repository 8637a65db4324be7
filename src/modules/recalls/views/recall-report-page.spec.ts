import type { ReportRow } from '../domain/recall-report';
import { reportHtml } from './recall-report-page';

const row = (over: Partial<ReportRow>): ReportRow => ({
  lot: 'L1', lotUri: 'https://x.cn/t/ABC', product: '猕猴桃', quantity: '10', unit: 'kg', location: '四川省成都市蒲江县',
  date: '2026-11-01T00:00:00.000Z', eventType: 'receiving', source: 'A', destination: 'B', referenceDocument: '', ...over,
});

describe('recall report page', () => {
  it('escapes HTML and links column titles for sorting', () => {
    const html = reportHtml({ id: 'r1', mode: 'mock', reason: '<b>农残超标</b>', createdAt: 'now', durationMs: 12, lotCount: 1, affectedOrganizations: [] },
      [row({ product: '<script>' })], 'date', 'asc');
    expect(html).toContain('<td>&lt;script></td>');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>农残超标');
    expect(html).toContain('?sort=quantity&amp;order=asc');
    expect(html).toContain('模拟召回');
  });
});
