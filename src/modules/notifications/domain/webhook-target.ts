import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Where webhooks may go: a public unicast address of another machine. A subscriber must not make
 * the platform POST into its own network, into this host (the API itself), or to any special-purpose
 * range (cloud metadata, CGNAT, benchmarking, documentation, 6to4/Teredo/NAT64 wrappers of those, …).
 * The ranges come from ipaddr.js (IANA special-purpose registries), not from a list kept here.
 */
export interface TargetPolicy {
  /** This machine's interface addresses (os.networkInterfaces()). */
  ownAddresses: readonly string[];
  /** Tests and development only: loopback and private networks (RFC 1918, fc00::/7) are allowed. */
  allowPrivate: boolean;
}

const PRIVATE_RANGES: ReadonlySet<string> = new Set(['loopback', 'private', 'uniqueLocal']);

/** Why a webhook may not be sent to this IP address, or null when it may. */
export function addressRefusal(address: string, policy: TargetPolicy): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return `${address} is not an IP address`;
  // process() unwraps ::ffff:a.b.c.d, so the mapped IPv4 address is what gets classified.
  const ip = ipaddr.process(bare);
  const range = ip.range();
  if (range !== 'loopback' && policy.ownAddresses.some((own) => sameAddress(own, ip))) return `${bare} is an address of this host`;
  if (range === 'unicast' || (policy.allowPrivate && PRIVATE_RANGES.has(range))) return null;
  return `${bare} is a special-purpose address (${range})`;
}

function sameAddress(own: string, ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  const bare = own.split('%')[0];
  return isIP(bare) !== 0 && ipaddr.process(bare).toNormalizedString() === ip.toNormalizedString();
}

/** The URL's host: an IP literal (brackets removed) or a DNS name, lower-cased. */
export function urlHost(url: string): { host: string; literal: boolean } {
  const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return { host, literal: isIP(host) !== 0 };
}

/** Why a webhook may not be sent to this host name before any DNS lookup (RFC 6761 localhost names), or null. */
export function nameRefusal(host: string, policy: TargetPolicy): string | null {
  if (policy.allowPrivate) return null;
  return host === 'localhost' || host.endsWith('.localhost') ? `${host} is this host` : null;
}
