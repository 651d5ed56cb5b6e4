import type { ImrnBinding, ImrnRepository } from '@legwork/call-state';
import type { Logger } from '@legwork/common';
import type { AuthAttempt, DidOwner, Directory, InboundCredentials, Resource } from '@legwork/directory';
import { type DigestAuthenticator, type NonceCounter, type SipRequest, type SipSource, findDigestCredentials, unescapeUriPart } from '@legwork/sip';

/** Who may start this call: the carrier resource it came through and the DID owner it reaches, or the IMRN reservation it uses. */
export type InboundAdmission =
  | ({ ok: true; resource: Resource; accountId: string; number: string; by: 'source' | 'digest' } & ({ owner: DidOwner; imrn?: undefined } | { imrn: ImrnBinding; owner?: undefined }))
  | { ok: false; status: number; reason: string; headers?: Array<[string, string]> };

/** Digest outcomes where a secret was tried and found wrong (or forged); a plain challenge is not a failure. */
const FAILURES = new Set(['wrong_response', 'bad_nonce', 'bad_opaque', 'replay']);
const CHALLENGE_HEADER = 'Proxy-Authenticate';
const CREDENTIALS_HEADER = 'proxy-authorization';

export interface InboundGateOptions {
  directory: Directory;
  digest: DigestAuthenticator;
  nonces: NonceCounter;
  logger: Logger;
  /** IMRN reservations: a listed carrier dialling a reserved routing number is connected where the reservation says. */
  imrns?: ImrnRepository;
}

/** The number the carrier dials: the Request-URI's user (or tel: number), percent-decoded; undefined when there is none. */
export function requestedNumber(request: SipRequest): string | undefined {
  const uri = request.getRequestUri();
  if (!uri.ok) return undefined;
  if (uri.value.kind === 'tel') return uri.value.number;
  if (uri.value.kind !== 'sip' || uri.value.user === undefined) return undefined;
  try {
    return unescapeUriPart(uri.value.user);
  } catch {
    return undefined;
  }
}

/**
 * No open relay: an INVITE that is not from a device of ours starts a call only when it comes from a source of an
 * inbound-enabled carrier resource (or answers that carrier's digest challenge) and dials a DID owned within that
 * resource's account tree. Unknown sources get 403 (a counted auth failure), known carriers dialling a number nobody
 * owns 404; the challenge (407, as FreeSWITCH sends) only goes out when no source matched and the DID's account has
 * carriers with credentials.
 */
export class InboundGate {
  constructor(private readonly opts: InboundGateOptions) {}

  async admit(request: SipRequest, source: SipSource): Promise<InboundAdmission> {
    const { directory } = this.opts;
    const attempt: AuthAttempt = { surface: 'sip', source: source.remoteAddress, realm: 'inbound' };
    const throttle = await directory.throttle.check(attempt);
    if (!throttle.allowed) return { ok: false, status: 403, reason: 'Too Many Failed Attempts' };
    const number = requestedNumber(request);
    const carriers = await directory.resources.findInboundBySource(source.remoteAddress);
    if (carriers.length > 0) return this.fromCarrier(carriers, number, source);
    const owner = number === undefined ? null : await directory.numbering.findDid(number);
    const candidates = owner === null ? [] : await directory.resources.findInboundCredentials(owner.accountId);
    if (owner === null || number === undefined || candidates.length === 0) return this.refuse(attempt, 'unknown_source');
    return this.byDigest(request, attempt, owner, number, candidates);
  }

  /** A listed source: the DID, read with each carrier's account country, must be owned in that carrier's account tree. */
  private async fromCarrier(carriers: Resource[], number: string | undefined, source: SipSource): Promise<InboundAdmission> {
    const { directory, logger } = this.opts;
    for (const resource of number === undefined ? [] : carriers) {
      const account = await directory.accounts.find(resource.account_id);
      const owner = await directory.numbering.findDid(number ?? '', account?.country !== undefined ? { country: account.country } : {});
      if (owner !== null && (await this.reaches(resource, owner))) return { ok: true, resource, accountId: owner.accountId, owner, number: owner.e164, by: 'source' };
    }
    const imrn = await this.imrn(carriers, number);
    if (imrn !== undefined) return imrn;
    logger.info({ event: 'inbound_refused', source: source.remoteAddress, number, resources: carriers.map((r) => r.id) }, `inbound refused status=404 source=${source.remoteAddress} reason=unowned_number`);
    return { ok: false, status: 404, reason: 'Not Found' };
  }

  private async byDigest(request: SipRequest, attempt: AuthAttempt, owner: DidOwner, number: string, candidates: InboundCredentials[]): Promise<InboundAdmission> {
    const { directory, digest, nonces } = this.opts;
    const realms = [...new Set(candidates.map((c) => c.ha1.realm))];
    const challenge = (stale = false): InboundAdmission => ({
      ok: false, status: 407, reason: 'Proxy Authentication Required',
      headers: realms.flatMap((realm) => digest.challenge(realm, { stale }).map((value): [string, string] => [CHALLENGE_HEADER, value])),
    });
    for (const realm of realms) {
      const lookup = findDigestCredentials(request, realm, CREDENTIALS_HEADER);
      if (lookup.kind === 'malformed') return { ok: false, status: 400, reason: 'Bad Proxy-Authorization' };
      if (lookup.kind === 'none') continue;
      const { credentials } = lookup;
      const tried: AuthAttempt = { ...attempt, username: credentials.username, realm };
      const known = candidates.find((c) => c.username === credentials.username && c.ha1.realm === realm);
      const verdict = await digest.authenticate({ credentials, method: 'INVITE', realm, ha1: known === undefined ? {} : { MD5: known.ha1.md5, 'SHA-256': known.ha1.sha256 } }, nonces);
      if (verdict.ok && known !== undefined) {
        await directory.throttle.succeeded(tried);
        return { ok: true, resource: known.resource, accountId: owner.accountId, owner, number: owner.e164, by: 'digest' };
      }
      if (!verdict.ok && verdict.reason === 'stale') return challenge(true);
      if (!verdict.ok && !FAILURES.has(verdict.reason)) return challenge();
      return this.refuse(tried, known === undefined ? 'unknown_user' : 'wrong_password');
    }
    return challenge();
  }

  /** A number that is no DID may be a reserved IMRN: taken (used once) and admitted when one of the carriers reaches its account. */
  private async imrn(carriers: Resource[], number: string | undefined): Promise<InboundAdmission | undefined> {
    const imrns = this.opts.imrns;
    if (imrns === undefined || number === undefined) return undefined;
    const e164 = number.startsWith('+') ? number : `+${number}`;
    const binding = await imrns.claim(e164).catch((err: unknown) => {
      this.opts.logger.warn({ err, number }, 'IMRN lookup failed');
      return null;
    });
    if (binding === null) return undefined;
    for (const resource of carriers) {
      if (await this.reaches(resource, binding)) return { ok: true, resource, accountId: binding.accountId, imrn: binding, number: e164, by: 'source' };
    }
    return undefined;
  }

  /** The resource may deliver to the DID's account: its own, or a sub-account of the resource's. */
  private async reaches(resource: Resource, owner: { accountId: string }): Promise<boolean> {
    if (owner.accountId === resource.account_id) return true;
    const account = await this.opts.directory.accounts.find(owner.accountId);
    return account?.tree.includes(resource.account_id) === true;
  }

  /** Counted like any failed authentication (throttled by source, one greppable line), answered 403. */
  private async refuse(attempt: AuthAttempt, reason: string): Promise<InboundAdmission> {
    await this.opts.directory.throttle.failed(attempt, reason);
    return { ok: false, status: 403, reason: 'Forbidden' };
  }
}
