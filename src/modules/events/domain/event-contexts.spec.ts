import { eventHashId } from '../../../../libs/epcis';
import { EventContexts } from './event-contexts';

describe('EventContexts', () => {
  const event = (key: string, value = 'v') => ({ type: 'ObjectEvent', eventTime: '2026-01-01T00:00:00Z', eventTimeZoneOffset: '+08:00', action: 'OBSERVE', [key]: value });

  it('declares each capture prefix once and renames a prefix another capture used for another namespace', () => {
    const contexts = new EventContexts({ tianfu: 'https://t.cn/ns/epcis/' });
    const a = contexts.add(event('example:f'), { example: 'https://a.example/' });
    const b = contexts.add(event('example:f', 'example:x'), { example: 'https://b.example/' });
    const c = contexts.add(event('other:f'), { other: 'https://b.example/' });
    expect(contexts.prefixes).toEqual({
      tianfu: 'https://t.cn/ns/epcis/', example: 'https://a.example/', example2: 'https://b.example/', other: 'https://b.example/',
    });
    expect(a).toHaveProperty('example:f');
    expect(b).toEqual(event('example2:f', 'example2:x'));
    expect(c).toEqual(event('other:f'));
  });

  it('keeps every hash ID: the namespace counts, not the prefix', () => {
    const contexts = new EventContexts({});
    contexts.add(event('example:f'), { example: 'https://a.example/' });
    const original = event('example:f');
    const renamed = contexts.add(original, { example: 'https://b.example/' });
    expect(eventHashId(renamed, contexts.prefixes)).toBe(eventHashId(original, { example: 'https://b.example/' }));
  });
});
