export const LISTING_PLATFORMS = ['douyin', 'kuaishou', 'taobao', 'pinduoduo', 'weixin', 'jd', 'other'] as const;
export const PLATFORM_NAMES: Record<(typeof LISTING_PLATFORMS)[number], string> = {
  douyin: '抖音', kuaishou: '快手', taobao: '淘宝', pinduoduo: '拼多多', weixin: '微信小店', jd: '京东', other: '其他平台',
};

export interface BadgeBatch {
  lotCode: string;
  status: string;
  certificate: { number: string; status: string } | null;
}

export type BadgeState = 'ok' | 'held' | 'recalled' | 'uncertified';

/**
 * The badge's state from the batches shipped now: a recall wins, then a hold, then a batch without
 * a valid certificate in a category that needs one; otherwise green.
 */
export function badgeState(batches: BadgeBatch[], certificateRequired: boolean): BadgeState {
  if (batches.some((b) => b.status === 'recalled')) return 'recalled';
  if (batches.some((b) => b.status === 'on_hold')) return 'held';
  if (batches.length === 0 || (certificateRequired && batches.some((b) => b.certificate?.status !== 'valid'))) return 'uncertified';
  return 'ok';
}

const TEXT: Record<BadgeState, string> = { ok: '合格证有效', held: '暂停销售', recalled: '已召回', uncertified: '无有效合格证' };
const COLOUR: Record<BadgeState, string> = { ok: '#1d6b43', held: '#c62828', recalled: '#c62828', uncertified: '#c62828' };

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (s: string) => s.replace(/[&<>"']/g, (c) => XML[c]);

/** Embeddable SVG badge (a shop page shows it): "天府溯源 | 合格证有效 · 批次 2611270A3F". Widths estimated per character. */
export function badgeSvg(state: BadgeState, lotCode: string | null): string {
  const left = '天府溯源';
  const right = lotCode && state === 'ok' ? `${TEXT[state]} · 批次 ${lotCode}` : lotCode ? `${TEXT[state]} · ${lotCode}` : TEXT[state];
  const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 12 : 7), 0) + 12;
  const lw = width(left);
  const rw = width(right);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="20" role="img" aria-label="${xml(`${left}: ${right}`)}">`
    + `<title>${xml(`${left}: ${right}`)}</title>`
    + `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${COLOUR[state]}"/>`
    + `<g fill="#fff" font-family="PingFang SC,Noto Sans CJK SC,Microsoft YaHei,sans-serif" font-size="12">`
    + `<text x="6" y="14">${xml(left)}</text><text x="${lw + 6}" y="14">${xml(right)}</text></g></svg>`;
}
