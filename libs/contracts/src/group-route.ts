/** Application-Data.Route that names a group of the request's account (Legwork extension): `group:<group id>`. */
const GROUP_ROUTE = /^group:([0-9a-f]{32})$/;

/** The Route a `transfer` to a group carries: the media node rings its members by the group's strategy. */
export function groupRoute(groupId: string): string {
  if (!/^[0-9a-f]{32}$/.test(groupId)) throw new TypeError('a group id is 32 hex characters');
  return `group:${groupId}`;
}

/** The group a Route names, or undefined when it names none (a number, an extension, a SIP URI). */
export function groupIdOfRoute(route: string): string | undefined {
  return GROUP_ROUTE.exec(route.trim())?.[1];
}
