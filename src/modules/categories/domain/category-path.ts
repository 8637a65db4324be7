import { ImportProblem, importRejected, readCsv } from '../../../../libs/csv';

const PATH_SEPARATOR = '>';

/** Normalises a typed category path: trims parts, accepts full-width '＞' and spaces around separators. */
export function normalizeCategoryPath(input: string): string {
  return input
    .replace(/＞/g, PATH_SEPARATOR)
    .split(PATH_SEPARATOR)
    .map((part) => part.trim())
    .join(PATH_SEPARATOR);
}

function parentOf(path: string): string | null {
  const at = path.lastIndexOf(PATH_SEPARATOR);
  return at < 0 ? null : path.slice(0, at);
}

/** The path itself and every ancestor, most specific first (limit resolution walks this list). */
export function selfAndAncestors(path: string): string[] {
  const parts = path.split(PATH_SEPARATOR);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join(PATH_SEPARATOR));
}

/**
 * Do two categories name the same kind of food? True when one is the other or lies under it
 * (a certificate for 猕猴桃 matches goods bought as 水果, and one for 水果 matches goods bought as
 * 猕猴桃); 猕猴桃 and 葡萄 do not match.
 */
export function isSameOrWithin(a: string, b: string): boolean {
  return a === b || a.startsWith(b + PATH_SEPARATOR) || b.startsWith(a + PATH_SEPARATOR);
}

/** The category tree file (one `path` column); any broken row refuses the whole file. */
export function parseCategoryCsv(csv: string): { path: string; name: string; parentPath: string | null; depth: number }[] {
  const table = readCsv(csv, { columns: ['path'], code: 'INVALID_CATEGORY_FILE' });
  const problems: ImportProblem[] = [...table.problems];
  const paths = table.rows.map(({ row, cells }) => {
    const path = normalizeCategoryPath(cells.path);
    if (path.split(PATH_SEPARATOR).includes('')) problems.push({ row, column: 'path', code: 'VALIDATION_FAILED', message: `"${path}" has an empty part` });
    return path;
  });
  if (problems.length) throw importRejected('INVALID_CATEGORY_FILE', table.rowCount, problems);
  return paths.map((path) => {
    const parts = path.split(PATH_SEPARATOR);
    return { path, name: parts[parts.length - 1], parentPath: parentOf(path), depth: parts.length };
  });
}
