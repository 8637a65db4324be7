import { chinaDate, chinaDateTime, chinaLocalInput } from './calendar-date';

describe('China time', () => {
  it('turns the UTC evening into the next morning in China', () => {
    expect(chinaDate(new Date('2026-11-26T16:30:00Z'))).toBe('2026-11-27');
    expect(chinaDate(new Date('2026-11-26T15:59:59Z'))).toBe('2026-11-26');
    expect(chinaDateTime(new Date('2026-11-26T16:30:00Z'))).toBe('2026-11-27 00:30');
    // As a datetime-local input holds it, with seconds when the input steps by the second.
    expect(chinaLocalInput(new Date('2026-11-26T16:30:05Z'))).toBe('2026-11-27T00:30');
    expect(chinaLocalInput(Date.parse('2026-11-26T16:30:05Z'), true)).toBe('2026-11-27T00:30:05');
  });
});
