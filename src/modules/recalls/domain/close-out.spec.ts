import { closeOut } from './close-out';

const org = (quantities: Record<string, string>) => ({ organizationId: 'o1', name: '合作社', lots: 1, inTransit: false, quantities });
const confirmed = (unit: string, recovered: string, disposed: string, soldThrough: string) => new Map([['o1', { unit, recovered, disposed, soldThrough }]]);

describe('recall close-out', () => {
  it.each([
    ['balances exactly', { kg: '100' }, confirmed('kg', '60', '30', '10'), true],
    ['balances in another unit of the dimension (200 斤 = 100 kg)', { kg: '100' }, confirmed('斤', '120', '60', '20'), true],
    ['one gram short', { kg: '100' }, confirmed('kg', '60', '30', '9.999'), false],
    ['more than it had', { kg: '100' }, confirmed('kg', '60', '30', '11'), false],
    ['counted items against a weight', { kg: '100' }, confirmed('箱', '100', '0', '0'), false],
    ['two dimensions cannot be balanced by one account', { kg: '100', 箱: '3' }, confirmed('kg', '100', '0', '0'), false],
    ['several units of one dimension add up', { kg: '100', 斤: '20' }, confirmed('kg', '110', '0', '0'), true],
  ])('%s', (_name, quantities, confirmations, balanced) => {
    expect(closeOut([org(quantities)], confirmations)[0].balanced).toBe(balanced);
  });

  it('leaves an organisation without a confirmation open', () => {
    expect(closeOut([org({ kg: '1' })], new Map())[0]).toMatchObject({ confirmed: null, balanced: false });
  });
});
