import { groupIdOfRoute, groupRoute } from './group-route';

describe('group routes', () => {
  const id = 'a'.repeat(32);

  it('round-trips a group id through Application-Data.Route', () => {
    expect(groupRoute(id)).toBe(`group:${id}`);
    expect(groupIdOfRoute(groupRoute(id))).toBe(id);
  });

  it.each(['+14155550100', '500', `sip:group:${id}@example.com`, 'group:xyz', `group:${id}x`, `group:${'A'.repeat(32)}`])('names no group in %s', (route) => {
    expect(groupIdOfRoute(route)).toBeUndefined();
  });

  it('refuses to build a route from something that is no group id', () => {
    expect(() => groupRoute('../../etc')).toThrow('32 hex');
  });
});
