/**
 * The group a route's latency counts under: a handful of names per feature, taken from the route's
 * pattern (never the raw URL, so a flood of random paths adds no series).
 */
const EDGE_GROUPS: [RegExp, string][] = [
  [/^\/t\//, 'scan-page'],
  [/^\/api\/v1\/scan\//, 'scan-api'],
  [/^\/01\//, 'digital-link'],
  [/^\/c\//, 'certificate-page'],
  [/^\/api\/v1\/certificates\/verify\//, 'certificate-verify'],
];

export function routeGroup(routePattern: string | undefined): string {
  if (!routePattern) return 'unmatched';
  for (const [pattern, group] of EDGE_GROUPS) if (pattern.test(routePattern)) return group;
  const api = /^\/api\/v\d+\/([a-z0-9-]+)/.exec(routePattern);
  if (api) return `api:${api[1]}`;
  const first = /^\/([a-z0-9-]*)/.exec(routePattern)?.[1];
  return first ? first : 'root';
}

/** 2xx, 3xx, 4xx, 5xx: enough to tell errors apart without a series per status. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
