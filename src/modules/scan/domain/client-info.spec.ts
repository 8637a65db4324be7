import { classifyClient, ClientFingerprints, networkPrefix } from './client-info';

describe('coarse client information', () => {
  it('recognises WeChat on Android as a mobile scan', () => {
    const ua = 'Mozilla/5.0 (Linux; Android 14; V2307A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47';
    expect(classifyClient(ua, 'zh-CN,zh;q=0.9')).toEqual({ device: 'mobile', os: 'android', app: 'wechat', lang: 'zh-cn' });
  });

  it('recognises an iPhone Safari, a desktop, a bot and nothing', () => {
    expect(classifyClient('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1', undefined))
      .toMatchObject({ device: 'mobile', os: 'ios', app: 'safari', lang: null });
    expect(classifyClient('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36', 'en-US')).toMatchObject({ device: 'desktop', os: 'windows' });
    expect(classifyClient('curl/8.0', undefined).device).toBe('bot');
    expect(classifyClient(undefined, undefined)).toEqual({ device: 'other', os: 'other', app: 'other', lang: null });
  });
});

describe('client fingerprints', () => {
  const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger/8.0.47';

  it('groups addresses by IPv4 /24 and IPv6 /48, IPv4-mapped addresses as IPv4', () => {
    expect(networkPrefix('203.0.113.77')).toBe('203.0.113');
    expect(networkPrefix('::ffff:203.0.113.9')).toBe('203.0.113');
    expect(networkPrefix('2408:8456:3c12:1a2b::1')).toBe('2408:8456:3c12');
    expect(networkPrefix('2001:db8::1')).toBe('2001:db8:0');
    expect(networkPrefix('not an address')).toBe('');
    expect(networkPrefix(undefined)).toBe('');
  });

  it('tells clients apart by network and user agent, with ids that depend on the key', () => {
    const fingerprints = new ClientFingerprints('key-1', 2);
    const a = fingerprints.of('203.0.113.5', ua);
    expect(fingerprints.of('203.0.113.200', ua)).toEqual(a);
    expect(fingerprints.of('203.0.113.5', `${ua} other`)).toMatchObject({ network: a.network });
    expect(fingerprints.of('203.0.113.5', `${ua} other`).client).not.toBe(a.client);
    expect(fingerprints.of('198.51.100.5', ua).network).not.toBe(a.network);
    // Past its bounded memory of addresses, it still answers the same.
    expect(fingerprints.of('203.0.113.5', ua)).toEqual(a);
    expect(new ClientFingerprints('key-2').of('203.0.113.5', ua).network).not.toBe(a.network);
    expect(Number.isSafeInteger(a.client) && Number.isSafeInteger(a.network)).toBe(true);
  });
});
