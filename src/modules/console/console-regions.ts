import { findRegion } from '../regions/domain';

/** Sichuan's counties and districts (GB/T 2260, 51xxxx) for the site form's region picker. */
export const SICHUAN_COUNTIES: [string, string][] = (() => {
  const out: [string, string][] = [];
  for (let n = 510100; n <= 519999; n++) {
    const region = findRegion(String(n));
    if (region?.level === 'county') out.push([region.code, region.fullName]);
  }
  return out;
})();

/** Sichuan, its 市(州) and its counties: the plan form's region picker (a plan may cover any of them). */
export const SICHUAN_REGIONS: [string, string][] = (() => {
  const out: [string, string][] = [];
  for (let n = 510000; n <= 519999; n += 1) {
    const region = findRegion(String(n));
    if (region) out.push([region.code, region.fullName]);
  }
  return out;
})();

const BY_FULL_NAME = new Map(SICHUAN_REGIONS.map(([code, name]) => [name, code]));

/**
 * The region a person typed or picked in a region search box, as its GB/T 2260 code: a code as
 * is, a full name as the list offers it (四川省成都市蒲江县), or a county's own name or the start
 * of it when only one Sichuan county has it (蒲江县, 蒲江). Anything else comes back as typed, so
 * the API's rule names the field (6-digit code) and the form shows the text again.
 */
export function regionCodeFromText(text: string): string {
  const t = text.trim().replace(/\s+/g, '');
  if (/^\d{6}$/.test(t)) return t;
  const coded = /[（(](\d{6})[)）]$/.exec(t) ?? /^(\d{6})\D/.exec(t);
  if (coded) return coded[1];
  const exact = BY_FULL_NAME.get(t) ?? BY_FULL_NAME.get(`四川省${t}`);
  if (exact) return exact;
  if (t.length < 2) return text.trim();
  const counties = SICHUAN_COUNTIES.filter(([code, name]) => name.endsWith(t) || findRegion(code)!.name.startsWith(t));
  return counties.length === 1 ? counties[0][0] : text.trim();
}

/** What a region search box shows for a stored code: the full name, or the code when it is not a Sichuan region. */
export function regionText(code: string): string {
  return findRegion(code)?.fullName ?? code;
}
