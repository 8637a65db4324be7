/**
 * The links a GS1 Digital Link resolver offers for one of our codes (GS1 Web Vocabulary link
 * types). Everything points at our own pages. Only links that exist are offered: a batch with
 * valid certificates also gets gs1:certificationInfo, one link per certificate page.
 */
export const LINK_TYPES = [
  { type: 'gs1:pip', title: '产品信息', fragment: '#product' },
  { type: 'gs1:traceability', title: '追溯信息', fragment: '#origin' },
] as const;

const DEFAULT_LINK_TYPE = 'gs1:traceability';

export function linkTarget(baseUrl: string, code: string, linkType: string): string {
  const link = LINK_TYPES.find((l) => l.type === linkType) ?? LINK_TYPES[1];
  return `${baseUrl}/t/${code}${link.fragment}`;
}

export const CERTIFICATION_LINK_TYPE = 'gs1:certificationInfo';

/** RFC 9264 linkset, as GS1's resolver standard serves for linkType=linkset. */
export function buildLinkset(baseUrl: string, anchor: string, code: string, certificateUrls: string[] = []) {
  const entry: Record<string, unknown> = { anchor };
  for (const link of LINK_TYPES) {
    entry[`https://gs1.org/voc/${link.type.slice(4)}`] = [
      { href: linkTarget(baseUrl, code, link.type), title: link.title, type: 'text/html', hreflang: ['zh-CN'] },
    ];
  }
  if (certificateUrls.length > 0) {
    entry['https://gs1.org/voc/certificationInfo'] = certificateUrls.map((href) => ({ href, title: '承诺达标合格证', type: 'text/html', hreflang: ['zh-CN'] }));
  }
  entry['https://gs1.org/voc/defaultLink'] = [{ href: linkTarget(baseUrl, code, DEFAULT_LINK_TYPE), title: '追溯信息', type: 'text/html' }];
  return { linkset: [entry] };
}
