import { maskPhone, normalisePhone, photoProblem, raisesAlert } from './report-rules';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

describe('consumer report rules', () => {
  it.each([
    ['138 0013 8000', '13800138000'], ['+86 138-0013-8000', '13800138000'], ['8613800138000', '13800138000'],
    ['12800138000', null], ['1380013800', null], ['028-85551234', null], ['13800138000x', null], ['', null],
  ])('phone %s → %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it('masks a phone', () => expect(maskPhone('13800138000')).toBe('138****8000'));

  it.each<[string, string, Buffer, string | undefined]>([
    ['a jpeg', 'image/jpeg', JPEG, undefined],
    ['a png declared as jpeg', 'image/jpeg', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'signature'],
    ['html', 'text/html', JPEG, 'type'],
    ['too large', 'image/jpeg', Buffer.concat([JPEG, Buffer.alloc(240 * 1024)]), 'size'],
    ['empty', 'image/jpeg', Buffer.alloc(0), 'encoding'],
  ])('photo: %s', (_name, type, bytes, rule) => {
    expect(photoProblem(type, bytes.toString('base64'), bytes)?.rule).toBe(rule);
  });

  it('refuses base64 with other characters', () => expect(photoProblem('image/jpeg', '<img>', JPEG)?.rule).toBe('encoding'));

  it.each([
    [4, 5, false, false], [5, 5, false, true], [9, 5, true, false], [2, 2, false, true],
  ])('%i clients, threshold %i, alerted already %s → alert %s', (clients, threshold, alerted, expected) => {
    expect(raisesAlert(clients, threshold, alerted)).toBe(expected);
  });
});
