import { addressRefusal, nameRefusal, TargetPolicy, urlHost } from './webhook-target';

const strict: TargetPolicy = { ownAddresses: ['127.0.0.1', '::1', '203.0.113.7', '8.8.4.4', 'fe80::fc:ff:fe00:1%eth0'], allowPrivate: false };
const allowing: TargetPolicy = { ...strict, allowPrivate: true };

describe('webhook targets', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.10', 'private'],
    ['169.254.169.254', 'linkLocal'], ['100.64.0.1', 'carrierGradeNat'], ['0.0.0.0', 'unspecified'], ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'], ['192.0.0.8', 'reserved'], ['192.0.2.2', 'reserved'], ['198.18.0.1', 'reserved'], ['198.19.255.254', 'reserved'],
    ['198.51.100.1', 'reserved'], ['203.0.113.1', 'reserved'], ['240.0.0.1', 'reserved'], ['192.88.99.1', 'reserved'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fd00::1', 'uniqueLocal'], ['fe80::1', 'linkLocal'], ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'], ['::ffff:10.0.0.1', 'private'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:192.0.2.1', 'reserved'],
    ['64:ff9b::a00:1', 'rfc6052'], ['::ffff:0:a00:1', 'rfc6145'], ['2002:a00:1::1', '6to4'], ['2001::1', 'teredo'], ['2001:2::1', 'benchmarking'],
  ])('%s is refused as %s', (ip, range) => expect(addressRefusal(ip, strict)).toBe(`${ip} is a special-purpose address (${range})`));

  it.each(['8.8.8.8', '114.114.114.114', '172.32.0.1', '2400:3200::1', '[2400:3200::1]'])('%s is a public address', (ip) =>
    expect(addressRefusal(ip, strict)).toBeNull());

  it('maps ::ffff:a.b.c.d to its IPv4 address', () => {
    expect(addressRefusal('::ffff:8.8.8.8', strict)).toBeNull();
  });

  it("refuses this host's own addresses even when they are public", () => {
    expect(addressRefusal('8.8.4.4', strict)).toBe('8.8.4.4 is an address of this host');
    expect(addressRefusal('::ffff:8.8.4.4', strict)).toBe('::ffff:8.8.4.4 is an address of this host');
    expect(addressRefusal('fe80::fc:ff:fe00:1', allowing)).toBe('fe80::fc:ff:fe00:1 is an address of this host');
    expect(addressRefusal('8.8.4.4', allowing)).toBe('8.8.4.4 is an address of this host');
  });

  it('the test allowance admits loopback and private networks only', () => {
    for (const ip of ['127.0.0.1', '::1', '10.0.0.1', '192.168.0.3', 'fd00::2']) expect(addressRefusal(ip, allowing)).toBeNull();
    for (const ip of ['169.254.169.254', '192.0.2.1', '100.64.0.1', '0.0.0.0', 'fe80::1']) expect(addressRefusal(ip, allowing)).not.toBeNull();
  });

  it('refuses what is not an IP address', () => {
    expect(addressRefusal('erp.example.cn', strict)).toBe('erp.example.cn is not an IP address');
  });

  it('reads the host of a URL, normalising IPv4 spellings', () => {
    expect(urlHost('http://[::1]:8080/h')).toEqual({ host: '::1', literal: true });
    expect(urlHost('http://2130706433/h')).toEqual({ host: '127.0.0.1', literal: true });
    expect(urlHost('http://0x7f.1/h')).toEqual({ host: '127.0.0.1', literal: true });
    expect(urlHost('https://ERP.Example.cn/h')).toEqual({ host: 'erp.example.cn', literal: false });
  });

  it('refuses localhost names before DNS', () => {
    expect(nameRefusal('localhost', strict)).toBe('localhost is this host');
    expect(nameRefusal('api.localhost', strict)).toBe('api.localhost is this host');
    expect(nameRefusal('erp.example.cn', strict)).toBeNull();
    expect(nameRefusal('localhost', allowing)).toBeNull();
  });
});
