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
 * agent. Both are keyed hashes truncated to 48 bits: pseudonymous bucket ids that cannot be turned
 * back into an address without the key (scan records never hold an IP address).
 */
export interface ClientFingerprint {
  network: number;
  client: number;
}

/** The network part of an address (IPv4 /24, IPv6 /48); '' when it is not an address. */
export function networkPrefix(ip: string | undefined): string {
  if (!ip || !ipaddr.isValid(ip)) return '';
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return (address as ipaddr.IPv4).octets.slice(0, 3).join('.');
  return (address as ipaddr.IPv6).parts.slice(0, 3).map((p) => p.toString(16)).join(':');
}

function bucket(text: string): number {
  // sha1 is fast here, and its weaknesses (collisions) do not matter for bucket ids.
  return hash('sha1', text, 'buffer').readUIntBE(0, 6);
}

export function clientFingerprint(key: string, ip: string | undefined, userAgent: string | undefined): ClientFingerprint {
  const network = `${key}|${networkPrefix(ip)}`;
  return { network: bucket(network), client: bucket(`${network}|${(userAgent ?? '').slice(0, 512)}`) };
}
