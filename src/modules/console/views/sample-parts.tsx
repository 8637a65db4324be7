import { chinaDateTime } from '../../../../libs/codes/calendar-date';
import type { SampleDetail, SampleView } from '../../sampling';
import { STREAM_LABELS } from '../../test-records/domain';
import type { TestStream } from '../../test-records/domain';

/** Parts of the sample pages shared by the lab's and the regulator's workspaces. */

export const SAMPLE_STATUS_TEXT: Record<string, string> = {
  planned: '待采样', collected: '已采样，待实验室接收', received: '实验室已接收', tested: '已出结果，判定中', judged: '已判定',
};

export const VERDICT_TEXT: Record<string, string> = { pass: '合格', fail: '不合格', no_limit: '无限量标准' };

export function streamText(stream: string): string {
  return STREAM_LABELS[stream as TestStream] ?? stream;
}

export function SampleStatus({ s }: { s: Pick<SampleView, 'status' | 'verdict'> }) {
  if (s.status === 'judged' && s.verdict) return <span class={`tag ${s.verdict === 'fail' ? 'bad' : ''}`}>{VERDICT_TEXT[s.verdict] ?? s.verdict}</span>;
  return <span class={`tag ${s.status === 'planned' || s.status === 'collected' ? 'warn' : ''}`}>{SAMPLE_STATUS_TEXT[s.status] ?? s.status}</span>;
}

/** A sample in a list: number, recheck mark, stream, status or verdict. */
export function SampleLine({ s, href }: { s: SampleView; href: string }) {
  return (
    <li><a href={href}>{s.sampleNo}</a> <SampleStatus s={s} />{s.recheckOf && <> <span class="tag warn">复检</span></>}
      {s.acceptedAt && <> <span class="tag">复检结论已采纳</span></>}
      <br /><span class="muted">{streamText(s.stream)} · {lastCategory(s.categoryPath)} · {s.analytes.length} 项</span></li>
  );
}

export function lastCategory(path: string): string {
  return path.split('>').pop() ?? path;
}

const CUSTODY_TEXT: Record<string, string> = { planned: '下达任务', collected: '采样', received: '实验室接收', tested: '提交结果', judged: '判定' };

/** The notes the sampling services write, in Chinese; a person's own note (place, reason) as written. */
function custodyNote(note: string): string {
  if (note === 'targeted sample') return '定向抽样';
  if (note === 'results submitted') return '实验室提交结果';
  if (note === 'retained portion of the first sample') return '使用首次抽样的留样';
  const verdict = /^verdict: (\w+)$/.exec(note);
  if (verdict) return `判定：${VERDICT_TEXT[verdict[1]] ?? verdict[1]}`;
  return note;
}

/** Chain of custody: who did what, when. `names` turns organisation ids into names. */
export function Custody({ s, names }: { s: SampleDetail; names: Map<string, string> }) {
  return (
    <ol class="list">{s.custody.map((c) => (
      <li><span class="muted">{chinaDateTime(new Date(c.at))}</span> {CUSTODY_TEXT[c.status] ?? c.status} · {names.get(c.by) ?? (c.by === 'worker' || c.by === 'admin' ? '系统' : c.by)}
        {c.note && <><br /><span class="muted">{custodyNote(c.note)}</span></>}</li>
    ))}</ol>
  );
}

const REASON_TEXT: Record<string, string> = {
  not_detected: '未检出', within_limit: '未超过限量', exceeds_limit: '超过限量', detected_banned: '检出禁用物质',
  detected_must_not_be_detected: '检出不得检出的物质', no_limit: '无限量标准',
};

/** Results with their verdicts (a table that scrolls on a phone). */
export function Results({ s }: { s: SampleDetail }) {
  if (!s.results.length) return <p class="muted">还没有检测结果。</p>;
  return (
    <div class="scroll"><table>
      <thead><tr><th>检测项目</th><th>结果</th><th>检出限</th><th>判定</th></tr></thead>
      <tbody>{s.results.map((r) => (
        <tr><td>{r.analyte}</td>
          <td>{r.value !== null ? `${r.value} ${r.unit ?? ''}` : r.detected === false ? '未检出' : r.detected ? '检出' : '—'}</td>
          <td>{r.lod !== null ? `${r.lod} ${r.unit ?? ''}` : '—'}</td>
          <td>{r.verdict ? <span class={`tag ${r.verdict === 'fail' ? 'bad' : ''}`}>{VERDICT_TEXT[r.verdict] ?? r.verdict}</span> : '判定中'}
            {r.reason && <span class="muted"> {REASON_TEXT[r.reason] ?? r.reason}</span>}</td></tr>
      ))}</tbody>
    </table></div>
  );
}
