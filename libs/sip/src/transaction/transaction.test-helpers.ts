import { silentLogger } from '@legwork/common';
import type { SipRequest, SipResponse } from '../message/sip-message';
import type { SipProtocol } from '../transport/transport.types';
import { LoopbackNetwork } from '../ua/testing/loopback-transport';
import { RawPeer } from '../ua/testing/raw-peer';
import { SipTimers, resolveTimers } from './timers';
import { TransactionLayer } from './transaction-layer';
import type { ServerTransaction } from './transaction.types';

export const TEST_TIMERS: SipTimers = resolveTimers({ T1: 100, T2: 400, T4: 500, D: 1000 });

/** A transaction layer on the loopback network next to a hand-driven peer, with everything it reports recorded. */
export function transactionBench(protocol: SipProtocol = 'udp') {
  const network = new LoopbackNetwork();
  const transport = network.createTransport({ port: 5070, protocol });
  const peer = new RawPeer(network, 5080);
  const events = {
    requests: [] as Array<{ tx: ServerTransaction; request: SipRequest }>,
    cancels: [] as Array<{ cancelTx: ServerTransaction; inviteTx: ServerTransaction | undefined }>,
    acks: [] as SipRequest[],
    strays: [] as SipResponse[],
  };
  const layer = new TransactionLayer(
    { transport, timers: TEST_TIMERS, logger: silentLogger },
    {
      onServerRequest: (tx, request) => events.requests.push({ tx, request }),
      onCancel: (cancelTx, inviteTx) => events.cancels.push({ cancelTx, inviteTx }),
      onAck: (ack) => events.acks.push(ack),
      onStrayResponse: (response) => events.strays.push(response),
    },
  );
  transport.onMessage((inbound) => layer.receive(inbound));
  const recorder = () => {
    const responses: SipResponse[] = [];
    const failures: Error[] = [];
    return { responses, failures, user: { onResponse: (r: SipResponse) => responses.push(r), onFailure: (e: Error) => failures.push(e) } };
  };
  return { network, transport, peer, layer, events, recorder, target: { protocol, host: '127.0.0.1', port: 5080 } };
}

/** Gaps between consecutive send times of packets matching a filter. */
export function intervals(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]);
}

export function useSipFakeTimers(): void {
  jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick', 'setImmediate'] });
}

export async function advance(ms: number): Promise<void> {
  await jest.advanceTimersByTimeAsync(ms);
}
