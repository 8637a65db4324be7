import ipaddr from 'ipaddr.js';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Who may read /metrics: a scraper on an allowed network, or anyone presenting the metrics token
 * (or the admin token). Everyone else gets a 404, as if there were no such page: the figures tell
 * an attacker how busy and how broken the system is.
 */
export interface MetricsAccessRule {
  allow: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  tokens: string[];
}

/** Parses `METRICS_ALLOW` (comma-separated CIDRs or addresses); throws naming the bad entry. */
export function parseAllowList(text: string): MetricsAccessRule['allow'] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    try {
      return entry.includes('/') ? ipaddr.parseCIDR(entry) : (() => { const ip = ipaddr.parse(entry); return [ip, ip.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]; })();
    } catch {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
  });
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function mayReadMetrics(rule: MetricsAccessRule, clientIp: string, bearer: string | null): boolean {
  if (bearer && rule.tokens.some((token) => sameSecret(token, bearer))) return true;
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(clientIp);
  } catch {
    return false;
  }
  return rule.allow.some(([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits));
}
