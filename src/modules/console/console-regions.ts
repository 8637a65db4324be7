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
