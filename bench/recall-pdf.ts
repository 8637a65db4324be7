/*
 * The recall plan and summary report PDF (召回计划及总结报告, issue 19): `npx tsx bench/recall-pdf.ts [renders]`.
 *
 * Renders the report in-process `renders` times (default 30) for a recall of 8 organisations and
 * prints, for the first render in the process and for the following ones: wall time and the
 * process's CPU time per render (process.cpuUsage: user + system, all threads — meaningful when
 * the machine is loaded), the PDF's size and the load average. No database: the report's
 * document is made here (what RecallsService hands the renderer).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { renderRecallSummaryPdf, type RecallSummaryDocument } from '../src/modules/recalls/views/recall-summary-pdf';

const RENDERS = Number(process.argv[2] ?? 30);

function document(i: number): RecallSummaryDocument {
  return {
    recallId: `0b5e0e3c-1a2b-4c3d-8e9f-0011223344${String(i % 100).padStart(2, '0')}`, regionName: '四川省成都市蒲江县',
    product: '红心猕猴桃（精品装 5kg）', lotCode: `PJ-2026-${1000 + i}`, producer: '蒲江县绿源猕猴桃专业合作社',
    reason: '监督抽检不合格：溴氰菊酯残留超过 GB 2763 限量（0.2 mg/kg > 0.05 mg/kg）', balance: '各主体数量已核对一致，可以结案。',
    facts: [['召回级别', '二级'], ['启动时限', '2026-11-22 10:00 前（48 小时）'], ['完成时限', '2026-12-18（20 个工作日）'], ['状态', '已结案']],
    organizations: Array.from({ length: 8 }, (_, n) => ({
      name: `成都市第${n + 1}农产品批发市场经营户`, lots: 1 + (n % 3), distributed: `${120 + n * 15} kg`, recovered: `${80 + n * 10} kg`,
      disposed: `${20 + n} kg`, soldThrough: `${20 + 4 * n} kg`, total: `${120 + n * 15} kg`, state: '一致', confirmedAt: '2026-12-01 16:20',
      note: n === 3 ? '部分已售出产品无法追回，已在摊位公示。' : '',
    })),
    generatedAt: '2026-12-05 12:00',
  };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const walls: number[] = [];
  const cpus: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RENDERS; i++) {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    const pdf = await renderRecallSummaryPdf(document(i));
    walls.push(performance.now() - t0);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
    bytes = pdf.length;
  }
  const rest = { wall: walls.slice(1), cpu: cpus.slice(1) };
  console.log(`recall summary PDF, ${RENDERS} renders in one process; load average before: ${load}, after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  first render      wall ${walls[0].toFixed(1)} ms   cpu ${cpus[0].toFixed(1)} ms`);
  console.log(`  later renders     wall median ${median(rest.wall).toFixed(1)} ms (min ${Math.min(...rest.wall).toFixed(1)}, max ${Math.max(...rest.wall).toFixed(1)})   cpu median ${median(rest.cpu).toFixed(1)} ms`);
  console.log(`  PDF size          ${(bytes / 1024).toFixed(1)} KiB`);
}

void main();
