import { topicMatches } from './topic.matcher';

describe('topicMatches', () => {
  it.each([
    ['call.*.abc', 'call.CHANNEL_CREATE.abc', true],
    ['call.*.abc', 'call.a.b.abc', false],
    ['call.*', 'call', false],
    ['call.#', 'call', true],
    ['call.#', 'call.a.b.c', true],
    ['#', 'anything.at.all', true],
    ['#.abc', 'abc', true],
    ['#.abc', 'x.y.abc', true],
    ['#.abc', 'x.y.abd', false],
    ['a.#.z', 'a.z', true],
    ['a.#.z', 'a.b.c.z', true],
    ['a.#.#.z', 'a.b.z', true],
    ['a.*.#', 'a', false],
    ['originate.resource.req', 'originate.resource.req', true],
    ['originate.resource.req', 'originate.resource', false],
  ])('%s against %s → %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
