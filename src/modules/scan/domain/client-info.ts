import { hash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * Coarse client information for scan statistics: device class, OS, browser, the in-app browser
 * people scan with (WeChat, Alipay…), and the first language. Never the IP address. Written by hand
 * because we need six buckets, not a full user-agent database.
 */
export interface ClientInfo {
  device: 'mobile' | 'tablet' | 'desktop' | 'bot' | 'other';
  os: string;
  app: string;
  lang: string | null;
}

const BOTS = /bot|crawler|spider|curl|wget|python|java\/|go-http|headless|autocannon|okhttp/i;

function os(ua: string): string {
  if (/HarmonyOS/i.test(ua)) return 'harmonyos';
  if (/Android/i.test(ua)) return 'android';
  if (/iPhone|iPad|iPod/i.test(ua)) return 'ios';
  if (/Windows/i.test(ua)) return 'windows';
  if (/Mac OS X/i.test(ua)) return 'macos';
  if (/Linux/i.test(ua)) return 'linux';
  return 'other';
}

function app(ua: string): string {
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  if (/DingTalk/i.test(ua)) return 'dingtalk';
  if (/\bQQ\//i.test(ua)) return 'qq';
  if (/Edg\//.test(ua)) return 'edge';
  if (/Chrome\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua)) return 'safari';
  if (/Firefox\//.test(ua)) return 'firefox';
  return 'other';
}

export function classifyClient(userAgent: string | undefined, acceptLanguage: string | undefined): ClientInfo {
  const ua = (userAgent ?? '').slice(0, 512);
  const device = !ua ? 'other'
    : BOTS.test(ua) ? 'bot'
      : /iPad|Tablet/i.test(ua) ? 'tablet'
        : /Mobile|Android|iPhone/i.test(ua) ? 'mobile'
          : /Windows|Macintosh|X11/i.test(ua) ? 'desktop' : 'other';
  const lang = /^\s*([a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,4})?)/.exec(acceptLanguage ?? '')?.[1]?.toLowerCase() ?? null;
  return { device, os: os(ua), app: app(ua), lang };
}

/**
 * Who scanned, as far as telling consumers apart needs: `network` stands for the client's IPv4 /24
 * or IPv6 /48 (a household, an office, a mobile gateway), `client` for that network plus the user
 * agent: 48-bit pseudonymous ids derived from a keyed hash of the network, which cannot be turned
 * back into an address without the key (scan records never hold an IP address).
 */
export interface ClientFingerprint {
  network: number;
  client: number;
}

/** The network part of an address (IPv4 /24, IPv6 /48); '' when it is not an address. */
export function networkPrefix(ip: string | undefined): string {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.process(ip ?? '');
  } catch {
    return '';
  }
  if (address.kind() === 'ipv4') return (address as ipaddr.IPv4).octets.slice(0, 3).join('.');
  return (address as ipaddr.IPv6).parts.slice(0, 3).map((p) => p.toString(16)).join(':');
}

function bucket(text: string): number {
  // sha1 is fast here, and its weaknesses (collisions) do not matter for bucket ids.
  return hash('sha1', text, 'buffer').readUIntBE(0, 6);
}

/**
 * Fingerprints scanning clients with a secret key. Network ids are remembered per address, so a
 * client that scans again costs one hash (parsing an IPv6 address costs more than the rest of
 * the scan's bookkeeping); the memory is bounded and simply emptied when full.
 */
export class ClientFingerprints {
  private readonly networks = new Map<string, number>();

  constructor(private readonly key: string, private readonly maxAddresses = 50_000) {}

  of(ip: string | undefined, userAgent: string | undefined): ClientFingerprint {
    const address = ip ?? '';
    let network = this.networks.get(address);
    if (network === undefined) {
      network = bucket(`${this.key}|${networkPrefix(address)}`);
      if (this.networks.size >= this.maxAddresses) this.networks.clear();
      this.networks.set(address, network);
    }
    // The keyed network id already hides the address; the user agent only needs telling apart
    // within one network, which a plain 32-bit hash does without a second digest per scan.
    return { network, client: Math.floor(network / 2 ** 32) * 2 ** 32 + ((network ^ fnv1a(userAgent ?? '')) >>> 0) };
  }
}

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length && i < 512; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
