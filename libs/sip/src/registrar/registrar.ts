import { randomBytes } from 'node:crypto';
import { type CallStore, type Clock, type Contact, contactKey, systemClock } from '@legwork/call-state';
import { type Logger, silentLogger } from '@legwork/common';
import type { Directory } from '@legwork/directory';
import { DigestAuthenticator } from '../auth/digest';
import type { SipRequest } from '../message/sip-message';
import { unescapeUriPart } from '../message/sip-uri';
import type { SipSource } from '../transport/transport.types';
import { type PlannedBinding, planContacts } from './register-contacts';
import { okHeaders } from './registrar-reply';
import { type AuthServices, authenticateRegister } from './registrar-auth';
import { type RegistrarOptions, type RegistrarSettings, parseRegistrarOptions } from './registrar.options';
import type { RegistrarReply, ReplyHeaders } from './registrar.types';

const SUPPORTED_OPTIONS = new Set(['outbound', 'path']);

/** Registrar for REGISTER requests (RFC 3261 §10.3, RFC 5626 §6, RFC 3327, RFC 8599); transport-independent. */
export class Registrar {
  private readonly settings: RegistrarSettings;
  private readonly auth: AuthServices;
  private readonly directory: Directory;
  private readonly calls: CallStore;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(options: RegistrarOptions) {
    this.settings = parseRegistrarOptions(options);
    this.directory = options.directory;
    this.calls = options.calls;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const digest = new DigestAuthenticator({ secret: this.settings.secret, nonceTtlSeconds: this.settings.nonceTtlSeconds, algorithms: this.settings.algorithms, now: () => this.clock.now() });
    this.auth = { directory: this.directory, digest, nonces: options.nonces ?? this.calls.nonces, strictUri: this.settings.strictDigestUri };
  }

  /** Never throws: store failures become a 500 with Retry-After. */
  async handle(request: SipRequest, source: SipSource): Promise<RegistrarReply> {
    const toTag = randomBytes(6).toString('hex');
    try {
      const reply = await this.process(request, source);
      return { ...reply, toTag };
    } catch (err) {
      this.logger.error({ err, callId: request.callId }, 'REGISTER failed');
      return { status: 500, reason: 'Server Internal Error', headers: [['Retry-After', '5']], toTag };
    }
  }

  private async process(request: SipRequest, source: SipSource): Promise<Omit<RegistrarReply, 'toTag'>> {
    if (request.method !== 'REGISTER') return fail(405, 'Method Not Allowed', [['Allow', 'REGISTER']]);
    const to = request.to;
    const callId = request.callId;
    const cseq = request.cseq;
    if (to === undefined || callId === undefined || cseq === undefined || cseq.method !== 'REGISTER') return fail(400, 'Bad Request');
    if (to.uri.kind !== 'sip' || to.uri.user === undefined) return fail(404, 'Not Found');
    const unsupported = requestOptions(request, 'require').filter((o) => !SUPPORTED_OPTIONS.has(o));
    if (unsupported.length > 0) return fail(420, 'Bad Extension', [['Unsupported', unsupported.join(', ')]]);
    // the To domain is the realm: clients often address the Request-URI to the registrar's IP
    const realm = to.uri.host.toLowerCase();
    const user = unescapeUriPart(to.uri.user);
    const account = await this.directory.accounts.findByRealm(realm);
    const auth = await authenticateRegister(request, source, { account, realm: account?.realm ?? realm, user }, this.auth);
    if (!auth.ok) return fail(auth.status, auth.reason, auth.headers);
    const planned = planContacts(request, this.settings);
    if (!planned.ok) return fail(planned.status, planned.reason, planned.headers);
    const aor = `${user}@${auth.device.sip.realm}`;
    const { plan } = planned;
    const existing = await this.calls.registrations.list(aor);
    const order = { callId, cseq: cseq.seq };
    if (plan.kind === 'wildcard') {
      if (existing.some((c) => isStale(c, order))) return fail(500, 'Out Of Order Request');
      await this.calls.registrations.removeAll(aor);
      return this.ok(request, aor, { pushServices: [], outbound: false }, account?.id);
    }
    if (plan.kind === 'fetch') return this.ok(request, aor, { pushServices: [], outbound: false }, account?.id);
    const pushServices = [...new Set(plan.bindings.flatMap((b) => (b.pushProvider !== undefined ? [b.pushProvider] : [])))];
    const offered = this.settings.pushProviders;
    // RFC 8599 §5.4: a push service we cannot send to would leave the UA unreachable once it stops keeping alive
    if (offered !== undefined && !offered.includes('*') && pushServices.some((p) => !offered.includes(p))) return fail(555, 'Push Notification Service Not Supported');
    // more than the cap in one request can never fit, so it is refused rather than half applied
    if (plan.bindings.filter((b) => b.expires > 0).length > this.settings.maxContacts) return fail(403, 'Too Many Contacts');
    const byKey = new Map(existing.map((c) => [contactKey(c), c]));
    if (plan.bindings.some((b) => isStale(byKey.get(contactKey(b)), order))) return fail(500, 'Out Of Order Request');
    await this.apply(aor, plan.bindings, request, source, order);
    const outbound = source.flowId !== undefined && requestOptions(request, 'supported', 'require').includes('outbound') && plan.bindings.some((b) => b.regId !== undefined);
    return this.ok(request, aor, { pushServices: offered !== undefined ? pushServices : [], outbound }, account?.id);
  }

  private async apply(aor: string, bindings: PlannedBinding[], request: SipRequest, source: SipSource, order: { callId: string; cseq: number }): Promise<void> {
    const now = this.clock.now();
    const path = request.getList('path');
    const userAgent = request.headers.get('user-agent');
    const added: Contact[] = [];
    for (const b of bindings) {
      if (b.expires === 0) {
        await this.calls.registrations.remove(aor, { uri: b.uri, instanceId: b.instanceId, regId: b.regId });
        continue;
      }
      added.push({
        uri: b.uri,
        expiresAt: now + b.expires * 1000,
        registeredAt: now,
        nodeId: this.settings.nodeId,
        transport: source.protocol,
        source: hostPort(source.remoteAddress, source.remotePort),
        callId: order.callId,
        cseq: order.cseq,
        ...defined({ flowToken: source.flowId, instanceId: b.instanceId, regId: b.regId, userAgent, pushProvider: b.pushProvider, pushPrid: b.pushPrid, pushParam: b.pushParam }),
        ...(path.ok && path.value.length > 0 ? { path: path.value } : {}),
      });
    }
    if (added.length === 0) return;
    // RFC 3261 leaves the limit to policy: beyond the cap the oldest other bindings make room (same instance: in place)
    const evicted = await this.calls.registrations.bind(aor, added, this.settings.maxContacts);
    if (evicted.length > 0) this.logger.info({ aor, evicted: evicted.map((c) => c.uri) }, 'registrar: oldest bindings replaced (contact cap)');
  }

  private async ok(request: SipRequest, aor: string, extra: { pushServices: string[]; outbound: boolean }, accountId?: string): Promise<Omit<RegistrarReply, 'toTag'>> {
    const contacts = await this.calls.registrations.list(aor);
    const path = request.getList('path');
    const echoPath = path.ok && requestOptions(request, 'supported', 'require').includes('path') ? path.value : [];
    const headers = okHeaders({ contacts, now: this.clock.now(), path: echoPath, ...extra });
    return { status: 200, reason: 'OK', headers, aor, bindings: contacts, ...(accountId !== undefined ? { accountId } : {}) };
  }
}

function fail(status: number, reason: string, headers: ReplyHeaders = []): Omit<RegistrarReply, 'toTag'> {
  return { status, reason, headers };
}

/** §10.3 step 7: a binding last set by this Call-ID with a CSeq not below ours means this request is old. */
function isStale(binding: Contact | undefined, order: { callId: string; cseq: number }): boolean {
  return binding !== undefined && binding.callId === order.callId && binding.cseq !== undefined && binding.cseq >= order.cseq;
}

function requestOptions(request: SipRequest, ...names: string[]): string[] {
  return names.flatMap((name) => {
    const list = request.getList(name);
    return list.ok ? list.value.map((o) => o.toLowerCase()) : [];
  });
}

function hostPort(address: string, port: number): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]:${port}` : `${address}:${port}`;
}

function defined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

