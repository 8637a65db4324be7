import { mayReadMetrics, parseAllowList } from './metrics-access';
import { routeGroup, statusClass } from './route-group';

describe('who may read /metrics', () => {
  const rule = { allow: parseAllowList('127.0.0.0/8, ::1, 10.20.0.0/16'), tokens: ['metrics-token-0123456789'] };

  it('lets in allowed networks, IPv4-mapped IPv6 included', () => {
    expect(mayReadMetrics(rule, '127.0.0.1', null)).toBe(true);
    expect(mayReadMetrics(rule, '::ffff:127.0.0.1', null)).toBe(true);
    expect(mayReadMetrics(rule, '::1', null)).toBe(true);
    expect(mayReadMetrics(rule, '10.20.3.4', null)).toBe(true);
  });

  it('keeps out other networks and garbage unless the token is presented', () => {
    expect(mayReadMetrics(rule, '10.21.0.1', null)).toBe(false);
    expect(mayReadMetrics(rule, '2001:db8::1', null)).toBe(false);
    expect(mayReadMetrics(rule, 'not-an-ip', null)).toBe(false);
    expect(mayReadMetrics(rule, '203.0.113.9', 'wrong-token')).toBe(false);
    expect(mayReadMetrics(rule, '203.0.113.9', 'metrics-token-0123456789')).toBe(true);
  });

  it('names the entry it cannot read', () => {
    expect(() => parseAllowList('10.0.0.0/8,localhost')).toThrow('"localhost"');
    expect(() => parseAllowList('10.0.0.0/33')).toThrow('"10.0.0.0/33"');
  });
});

describe('route groups', () => {
  it('groups by the route pattern, a few names per feature', () => {
    expect(routeGroup('/t/:code')).toBe('scan-page');
    expect(routeGroup('/api/v1/scan/:code')).toBe('scan-api');
    expect(routeGroup('/01/*')).toBe('digital-link');
    expect(routeGroup('/c/:token')).toBe('certificate-page');
    expect(routeGroup('/api/v1/batches/:id/status')).toBe('api:batches');
    expect(routeGroup('/health')).toBe('health');
    expect(routeGroup('/')).toBe('root');
    expect(routeGroup(undefined)).toBe('unmatched');
    expect(statusClass(429)).toBe('4xx');
  });
});
