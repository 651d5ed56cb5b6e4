import { execFileSync } from 'node:child_process';
import { waitFor } from '@legwork/common/testing';
import type { LoggedSipMessage } from '@legwork/originate/testing';
import { BusWatch } from './bus-watch';
import { CallLoad } from './call-load';
import { fates, lost, report, settledFates } from './call-ledger';
import { NODE_DEATH_BOUND_MS, killWithCallsUp } from './node-kill';
import { MEDIA_NODES, NetnsPlatform, type LabDevice, type LabHostName } from './netns-platform';

const HOLD_MS = 5000;

/** The host part of a message's top Via: who sent the request. */
const viaHost = (m: LoggedSipMessage): string | undefined => /^SIP\/2\.0\/\w+ \[?([^\]:;\s]+)/.exec(m.headers['via']?.[0] ?? m.headers['v']?.[0] ?? '')?.[1];
const isInvite = (m: LoggedSipMessage): boolean => /INVITE/.test(m.headers['cseq']?.[0] ?? '');

describe('fault: scale-out over hosts in network namespaces (two gateways, two media nodes)', () => {
  let platform: NetnsPlatform;
  let bus: BusWatch;

  beforeAll(async () => {
    platform = new NetnsPlatform(HOLD_MS);
    await platform.start();
    bus = await BusWatch.open(platform.rabbit?.url ?? '', platform.scratch.AMQP_NAMESPACE);
  }, 240_000);

  afterAll(async () => {
    await bus?.close();
    await platform?.close();
  }, 120_000);

  const createdOn = (id: string): unknown => bus.of(id, 'CHANNEL_CREATE')[0]?.['Node'];
  const nodeOf = (host: LabHostName): string => platform.app(host).nodeId;
  const otherNode = (host: LabHostName): LabHostName => (host === MEDIA_NODES[0] ? MEDIA_NODES[1] : MEDIA_NODES[0]);
  /** The device's calls run on the node it is not registered on and answered by its phone. */
  const answeredFromOther = (load: CallLoad, device: LabDevice): string[] =>
    load.accepted().filter((a) => platform.deviceOf(a.n) === device && createdOn(a.callId as string) === nodeOf(otherNode(device.registeredOn)) && bus.of(a.callId as string, 'CHANNEL_ANSWER').length > 0).map((a) => a.callId as string);

  const udp = (): LabDevice[] => platform.devices.filter((d) => d.transport === 'udp');
  const tcp = (): LabDevice => platform.devices.find((d) => d.transport === 'tcp') as LabDevice;
  /** Requests a node took off the shared queue and handed to the node holding the device's connection. */
  const handedOver = (host: LabHostName): number => platform.app(host).proc.stdout.split('\n').filter((l) => l.includes('originate_req forwarded to the owning node')).length;

  it('spreads the calls of both gateways over both media nodes, and a phone registered on one node is reached through the other', async () => {
    const load = new CallLoad(platform, 5);
    load.start();
    await waitFor(() => load.accepted().length >= 24 && udp().every((d) => answeredFromOther(load, d).length > 0) && handedOver(otherNode(tcp().registeredOn)) > 0, {
      message: () => `each UDP phone answering a call run on the node it is not registered on, a request for the TCP phone handed over\n${platform.output()}`,
      timeoutMs: 60_000,
      intervalMs: 250,
    }).finally(() => load.stop());
    const accepted = load.accepted().map((a) => a.callId as string);
    await waitFor(() => lost(fates(accepted, bus.events)).length === 0, { message: () => `every call ended: lost ${JSON.stringify(lost(fates(accepted, bus.events)).slice(0, 3))}`, timeoutMs: 30_000, intervalMs: 250 });

    const byNode = Object.fromEntries(MEDIA_NODES.map((h) => [h, accepted.filter((id) => createdOn(id) === nodeOf(h)).length]));
    const byGateway = [0, 1].map((g) => load.accepted().filter((a) => platform.gatewayOf(a.n) === g).length);
    // what each UDP phone saw: calls INVITEd by the address they came from, and those it answered with a 200
    const seen = udp().map((d) => {
      const msgs = d.phone.messages().filter(isInvite);
      // by Call-ID: each call's phone leg also gets the 3PCC re-INVITE that joins it to the carrier's answer
      const from = (dir: 'sent' | 'received', host: LabHostName, start: string): number =>
        new Set(msgs.filter((m) => m.direction === dir && m.startLine.startsWith(start) && viaHost(m) === platform.address(host)).map((m) => m.headers['call-id']?.[0])).size;
      return Object.fromEntries(MEDIA_NODES.flatMap((h) => [[`invitesFrom:${h}`, from('received', h, 'INVITE ')], [`answeredTo:${h}`, from('sent', h, 'SIP/2.0 200')]]));
    });
    const tcpCalls = load.accepted().filter((a) => platform.deviceOf(a.n) === tcp()).map((a) => a.callId as string);
    const tcpInvites = tcp().phone.messages().filter((m) => isInvite(m) && m.direction === 'received' && m.startLine.startsWith('INVITE '));
    const tcpInvitedCalls = new Set(tcpInvites.map((m) => m.headers['call-id']?.[0])).size;
    report('scale-out across namespaces', {
      sent: load.attempts.length, answered: load.byStatus(), byGateway, byNode,
      udpAnsweredFromOtherNode: udp().map((d) => `${d.registeredOn}->${answeredFromOther(load, d).length}`), udpPhones: seen,
      tcpPhone: { calls: tcpCalls.length, handedOver: handedOver(otherNode(tcp().registeredOn)), invitedCalls: tcpInvitedCalls }, lost: lost(fates(accepted, bus.events)).length,
    });
    expect(load.byStatus()).toEqual({ 202: load.attempts.length });
    expect(byGateway.every((n) => n > 0)).toBe(true);
    expect(Object.values(byNode).every((n) => n > 0)).toBe(true);
    expect(byNode[MEDIA_NODES[0]] + byNode[MEDIA_NODES[1]]).toBe(accepted.length);
    // UDP: the node that takes the request rings the phone itself, at the address its REGISTER came from
    for (const [i, d] of udp().entries()) {
      expect(answeredFromOther(load, d).length).toBeGreaterThan(0);
      expect(seen[i]?.[`invitesFrom:${otherNode(d.registeredOn)}`]).toBeGreaterThan(0);
      expect(seen[i]?.[`answeredTo:${otherNode(d.registeredOn)}`]).toBeGreaterThan(0);
    }
    // TCP: only the node holding the connection can ring it; the other hands the request over on its per-node queue
    expect(handedOver(otherNode(tcp().registeredOn))).toBeGreaterThan(0);
    expect(tcpCalls.filter((id) => createdOn(id) !== nodeOf(tcp().registeredOn) || bus.of(id, 'CHANNEL_ANSWER').length === 0)).toEqual([]);
    expect(tcpInvitedCalls).toBeGreaterThanOrEqual(tcpCalls.length);
    expect(tcpInvites.filter((m) => viaHost(m) !== platform.address(tcp().registeredOn))).toEqual([]);
  });

  it('ends every leg of a SIGKILLed media node with CHANNEL_DESTROY within 10 s and runs new calls on the survivor', async () => {
    const [doomedHost, survivorHost] = MEDIA_NODES;
    const doomed = platform.app(doomedHost);
    const load = new CallLoad(platform, 4);
    load.start();
    const { onKilled: onDoomed, killedAt, destroyedWithinMs: destroyedWithin } = await killWithCallsUp(doomed, platform.store.calls, bus, () => platform.output());

    // the load goes on through the failover and beyond it, on both gateways
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    await load.stop();
    const accepted = load.accepted().map((a) => a.callId as string);
    const all = await settledFates(accepted, () => bus.events);
    await waitFor(async () => (await platform.store.limits.inUse(platform.accountId)) === 0, { message: 'every channel released', timeoutMs: 30_000, intervalMs: 250 }).catch(() => undefined);
    // a request answered once the node was dead and swept can only have run on the survivor
    const after = load.accepted().filter((a) => a.at > killedAt + 5_000);
    const registeredOnDoomed = after.filter((a) => platform.deviceOf(a.n).registeredOn === doomedHost && bus.of(a.callId as string, 'CHANNEL_ANSWER').length > 0);
    report('media node SIGKILL across namespaces', {
      sent: load.attempts.length, answered: load.byStatus(), onKilledNode: onDoomed.length, destroyedWithinMs: destroyedWithin,
      failedReported: all.filter((f) => f.failed).length, afterKill: after.length, answeredPhoneOfKilledNode: registeredOnDoomed.length, lost: lost(all).length,
    });
    expect(lost(all)).toEqual([]);
    expect(onDoomed.every((id) => bus.of(id, 'CHANNEL_DESTROY').length === 1)).toBe(true);
    expect(destroyedWithin).toBeLessThanOrEqual(NODE_DEATH_BOUND_MS);
    expect(await platform.store.limits.inUse(platform.accountId)).toBe(0);
    expect(await platform.store.calls.listByNode(doomed.nodeId)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((a) => createdOn(a.callId as string) !== nodeOf(survivorHost))).toEqual([]);
    expect(new Set(after.map((a) => platform.gatewayOf(a.n))).size).toBe(2);
    // the phone that registered on the dead node is still reached, from the survivor, by its binding in Redis
    expect(registeredOnDoomed.length).toBeGreaterThan(0);
  });

  it('leaves no namespace and no process of its own behind', async () => {
    const prefix = platform.lab?.prefix ?? '';
    const ours = (): string[] => execFileSync('ip', ['netns', 'list']).toString().split('\n').filter((l) => l.startsWith(`${prefix}-`));
    expect(ours().length).toBeGreaterThan(0);
    await bus.close();
    await platform.close();
    expect(ours()).toEqual([]);
    expect(platform.apps.filter((a) => a.proc.child.exitCode === null && a.proc.child.signalCode === null)).toEqual([]);
  }, 120_000);
});
