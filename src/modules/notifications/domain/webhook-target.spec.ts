import { isPrivateAddress, isPrivateLiteralHost } from './webhook-target';

describe('webhook targets', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1'])(
    '%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['8.8.8.8', '114.114.114.114', '172.32.0.1', '2400:3200::1', '::ffff:8.8.8.8'])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));
  it('recognises private hosts in URLs without DNS', () => {
    expect(isPrivateLiteralHost('http://localhost:8080/h')).toBe(true);
    expect(isPrivateLiteralHost('http://api.localhost/h')).toBe(true);
    expect(isPrivateLiteralHost('http://127.0.0.1:3000/h')).toBe(true);
    expect(isPrivateLiteralHost('http://[::1]/h')).toBe(true);
    expect(isPrivateLiteralHost('https://erp.example.cn/h')).toBe(false);
    expect(isPrivateLiteralHost('https://8.8.8.8/h')).toBe(false);
  });
});
