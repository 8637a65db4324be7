/**
 * One @context for events captured under different ones. Each event keeps the namespaces its capture
 * declared; when two captures used one prefix for different namespaces (`example:` → two URIs), the
 * later event's keys and CURIE values are rewritten to a fresh prefix (`example2:`) for the same
 * namespace. The hash ID depends on the namespace, never on the prefix, so a partner recomputing it
 * from the answer gets the stored value.
 */
export class EventContexts {
  readonly prefixes: Record<string, string>;

  constructor(base: Record<string, string>) {
    this.prefixes = { ...base };
  }

  /** Declares the event's prefixes; returns the event, rewritten when one of them had to be renamed. */
  add(event: Record<string, unknown>, prefixes: Record<string, string>): Record<string, unknown> {
    const renames = new Map<string, string>();
    for (const [prefix, namespace] of Object.entries(prefixes)) {
      const current = this.prefixes[prefix];
      if (current === namespace) continue;
      if (current === undefined) {
        this.prefixes[prefix] = namespace;
        continue;
      }
      renames.set(prefix, this.aliasFor(prefix, namespace));
    }
    return renames.size === 0 ? event : rename(event, renames) as Record<string, unknown>;
  }

  private aliasFor(prefix: string, namespace: string): string {
    const existing = Object.entries(this.prefixes).find(([, ns]) => ns === namespace);
    if (existing) return existing[0];
    let n = 2;
    while (this.prefixes[`${prefix}${n}`] !== undefined) n++;
    this.prefixes[`${prefix}${n}`] = namespace;
    return `${prefix}${n}`;
  }
}

function renamed(text: string, renames: Map<string, string>): string {
  const colon = text.indexOf(':');
  const to = colon > 0 ? renames.get(text.slice(0, colon)) : undefined;
  return to === undefined ? text : to + text.slice(colon);
}

function rename(value: unknown, renames: Map<string, string>): unknown {
  if (typeof value === 'string') return renamed(value, renames);
  if (Array.isArray(value)) return value.map((v) => rename(v, renames));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [renamed(k, renames), rename(v, renames)]));
  }
  return value;
}
