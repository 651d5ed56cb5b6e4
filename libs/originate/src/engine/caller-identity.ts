/** RFC 3323 §4.1.1.3: the From of a caller who withholds their identity. */
export const ANONYMOUS_FROM = '"Anonymous" <sip:anonymous@anonymous.invalid>';

export function isAnonymous(number: string | undefined): boolean {
  return number === undefined || number.trim() === '' || number.trim().toLowerCase() === 'anonymous';
}

/** A caller id as presented, and the identity behind it when the platform knows one. */
export interface PresentedCaller {
  number: string;
  name?: string;
  /** The caller's real number (the device's own caller id), asserted only to trusted peers. */
  asserted?: string;
}

/**
 * The From and privacy headers of an anonymous caller (RFC 3323, RFC 3325): the anonymous From and
 * `Privacy: id`; toward a trusted peer (a carrier of the account) the real number, when known, goes in
 * P-Asserted-Identity so the carrier can still bill and route emergency calls. Undefined for a caller who
 * is not anonymous. Headers the request already sets are not added twice.
 */
export function anonymousCaller(caller: PresentedCaller, fromDomain: string, trusted: boolean, present: Array<[string, string]>): { from: string; headers: Array<[string, string]> } | undefined {
  if (!isAnonymous(caller.number)) return undefined;
  const has = (name: string): boolean => present.some(([h]) => h.toLowerCase() === name);
  const headers: Array<[string, string]> = has('privacy') ? [] : [['Privacy', 'id']];
  if (trusted && !isAnonymous(caller.asserted) && !has('p-asserted-identity')) headers.push(['P-Asserted-Identity', `<sip:${caller.asserted ?? ''}@${fromDomain}>`]);
  return { from: ANONYMOUS_FROM, headers };
}
