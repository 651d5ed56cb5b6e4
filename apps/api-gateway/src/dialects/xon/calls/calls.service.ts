import { Inject, Injectable } from '@nestjs/common';
import type { ClientPrincipal, Directory } from '@legwork/directory';
import { PUSH_CLIENT, type PushClient, type PushOutcome, type PushSpec } from '@legwork/originate-client';
import type { AppLogger } from '@legwork/platform';
import { APP_LOGGER, DIRECTORY } from '../../../core/infra.tokens';
import { XonError } from '../core/xon.error';
import type { CallBody, CancelBody } from './calls.request';
import { XonDevices, type PushableDevice } from './xon-devices';

/** The seed's four routes over the directory and the media nodes' push senders. */
@Injectable()
export class XonCallsService {
  private readonly devices: XonDevices;

  constructor(
    @Inject(DIRECTORY) directory: Directory,
    @Inject(PUSH_CLIENT) private readonly pushes: PushClient,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    this.devices = new XonDevices(directory);
  }

  async callableDevices(client: ClientPrincipal, mobileNumber: string): Promise<Array<{ id: string }>> {
    return (await this.devices.callable(client, mobileNumber)).map((d) => ({ id: d.push.prid }));
  }

  /** `call` (403 when the device refuses calls) and `update-call`. */
  async call(client: ClientPrincipal, body: CallBody, kind: 'call' | 'update'): Promise<void> {
    const device = await this.devices.valid(client, body.deviceId);
    if (kind === 'call' && !device.push.accept_calls) throw new XonError(403, 'device_rejected_call', 'device rejected inbound call');
    await this.send({ ...this.target(client, device, body.callId), kind, callerName: body.callerName });
  }

  async cancel(client: ClientPrincipal, body: CancelBody): Promise<void> {
    const device = await this.devices.valid(client, body.deviceId);
    await this.send({ ...this.target(client, device, body.callId), kind: 'cancel', reason: body.reason });
  }

  private target(client: ClientPrincipal, device: PushableDevice, callId: string): Pick<PushSpec, 'accountId' | 'deviceId' | 'push' | 'callId'> {
    const { provider, prid, param } = device.push;
    return { accountId: client.accountId, deviceId: device.id, push: { provider, prid, ...(param !== undefined ? { param } : {}) }, callId };
  }

  private async send(spec: PushSpec): Promise<void> {
    const outcome: PushOutcome = await this.pushes.push(spec);
    if (outcome.result === 'sent') return;
    this.logger.warn({ callId: spec.callId, kind: spec.kind, deviceId: spec.deviceId, outcome }, 'xon push not sent');
    // the push service's own answer stays in the log: it is the operator's, not the API client's
    if (outcome.result === 'failed') throw new XonError(502, 'push_failed', `the push notification was not accepted by the push service${outcome.status !== undefined ? ` (HTTP ${outcome.status})` : ''}`);
    if (outcome.result === 'unavailable') throw new XonError(503, 'push_unavailable', 'no media node is available to send push notifications');
    throw new XonError(504, 'push_timeout', 'the push notification was not confirmed in time');
  }
}
