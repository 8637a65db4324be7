/**
 * What the GS1 Digital Link resolver offers for one request (GS1 Digital Link 1.2 / resolver
 * standard, §"conformant resolver"): one level per identifier from the requested one up to the GTIN
 * (item → lot → product), each with its links (GS1 Web Vocabulary link types), one default link.
 * Everything points at our own pages: the resolver serves them directly instead of redirecting to
 * the default link (one hop fewer on rural phones; see README "Digital Link resolver").
 */
export const GS1_VOC = 'https://ref.gs1.org/voc/';
/** The older namespace of the same vocabulary, still accepted in `linkType`. */
const OLD_GS1_VOC = 'https://gs1.org/voc/';

/** The link types this resolver offers (some only where they exist, e.g. certificationInfo). */
export const OFFERED_LINK_TYPES = ['gs1:pip', 'gs1:traceability', 'gs1:recallStatus', 'gs1:certificationInfo', 'gs1:epcis'] as const;
export type LinkType = (typeof OFFERED_LINK_TYPES)[number];

export interface ResolverLink {
  type: LinkType;
  href: string;
  title: string;
  /** Media type of the target. */
  mediaType: string;
}

export interface ResolvedLevel {
  level: 'item' | 'lot' | 'product';
  /** The level's Digital Link on our host. */
  anchor: string;
  description: string;
  links: ResolverLink[];
}

export interface LotFacts {
  traceCode: string;
  lotCode: string;
  productName: string;
  certificateUrls: string[];
}

const page = (href: string, type: LinkType, title: string): ResolverLink => ({ type, href, title, mediaType: 'text/html' });

/** Links of an item (a serialised label): its own trace page. */
export function itemLevel(baseUrl: string, anchor: string, itemCode: string, productName: string): ResolvedLevel {
  return {
    level: 'item', anchor, description: `${productName}（单品 ${itemCode}）`,
    links: [
      page(`${baseUrl}/t/${itemCode}#origin`, 'gs1:traceability', '单品追溯信息'),
      page(`${baseUrl}/t/${itemCode}#product`, 'gs1:recallStatus', '召回与销售状态'),
    ],
  };
}

/** Links of a lot: trace page sections, valid certificates, its EPCIS events (for partners with a key). */
export function lotLevel(baseUrl: string, anchor: string, lot: LotFacts): ResolvedLevel {
  return {
    level: 'lot', anchor, description: `${lot.productName}（批次 ${lot.lotCode}）`,
    links: [
      page(`${baseUrl}/t/${lot.traceCode}#origin`, 'gs1:traceability', '批次追溯信息'),
      page(`${baseUrl}/t/${lot.traceCode}#product`, 'gs1:pip', '产品信息'),
      page(`${baseUrl}/t/${lot.traceCode}#product`, 'gs1:recallStatus', '召回与销售状态'),
      ...lot.certificateUrls.map((href) => page(href, 'gs1:certificationInfo', '承诺达标合格证')),
      {
        type: 'gs1:epcis', href: `${baseUrl}/api/v1/events?format=epcis&MATCH_epcClass=${encodeURIComponent(anchor)}`,
        title: 'EPCIS 2.0 事件（需 API 密钥）', mediaType: 'application/ld+json',
      },
    ],
  };
}

/** Links of the product (the GTIN alone): its product page, served at the anchor itself. */
export function productLevel(anchor: string, productName: string): ResolvedLevel {
  return { level: 'product', anchor, description: productName, links: [page(anchor, 'gs1:pip', '产品信息')] };
}

/** `gs1:pip`, `https://ref.gs1.org/voc/pip` and `https://gs1.org/voc/pip` are one link type. */
export function normaliseLinkType(value: string): string {
  if (value.startsWith(GS1_VOC)) return `gs1:${value.slice(GS1_VOC.length)}`;
  if (value.startsWith(OLD_GS1_VOC)) return `gs1:${value.slice(OLD_GS1_VOC.length)}`;
  return value;
}

/** The most specific link of a type, across the levels (requested level first). */
export function findLink(levels: ResolvedLevel[], linkType: string): ResolverLink | null {
  for (const level of levels) {
    const link = level.links.find((l) => l.type === linkType);
    if (link) return link;
  }
  return null;
}

/** The default link: the most specific level's traceability link, else its product page. */
export function defaultLink(levels: ResolvedLevel[]): ResolverLink {
  return findLink(levels, 'gs1:traceability') ?? findLink(levels, 'gs1:pip')!;
}

/**
 * RFC 9264 linkset as GS1's linkset schema wants it: one entry per level (anchor, itemDescription,
 * links with href, title, type, hreflang), the default link (title and href only) on the requested level.
 */
export function buildLinkset(levels: ResolvedLevel[]): { linkset: Record<string, unknown>[] } {
  const fallback = defaultLink(levels);
  return {
    linkset: levels.map((level, i) => {
      const entry: Record<string, unknown> = { anchor: level.anchor, itemDescription: level.description };
      for (const link of level.links) {
        const key = GS1_VOC + link.type.slice(4);
        const list = (entry[key] as unknown[] | undefined) ?? [];
        list.push({ href: link.href, title: link.title, type: link.mediaType, hreflang: ['zh-CN'] });
        entry[key] = list;
      }
      if (i === 0) entry[`${GS1_VOC}defaultLink`] = [{ href: fallback.href, title: fallback.title }];
      return entry;
    }),
  };
}

/** `href` with the request's query string passed on (before any fragment). */
export function withQuery(href: string, query: string): string {
  if (!query) return href;
  const hash = href.indexOf('#');
  const [base, fragment] = hash < 0 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  return `${base}${base.includes('?') ? '&' : '?'}${query}${fragment}`;
}
