import type { Bus } from '@legwork/bus';
import type { Logger } from '@legwork/common';
import { buildMessage, envelope, jsonObject, originateError, routeFor, scalarRecord, type OriginateRequest } from '@legwork/contracts';
import type { CallEventNotifier } from '../events/call-event.notifier';
import type { IntakeErrorCode } from './intake.errors';

export interface InvalidRequestReporterOptions {
  bus: Bus;
  notifier: CallEventNotifier;
  appName: string;
  appVersion: string;
  nodeId: string;
  logger: Logger;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The raw body with every field the failure event reads made safe to publish (bad ones dropped). */
export function publishableRequest(raw: Record<string, unknown>): OriginateRequest {
  const safe: Record<string, unknown> = { ...raw };
  for (const key of ['Custom-Channel-Vars', 'Custom-Application-Vars']) if (!scalarRecord.safeParse(safe[key]).success) delete safe[key];
  for (const key of ['Account-ID', 'Outbound-Call-ID', 'Server-ID', 'Msg-ID']) if (text(safe[key]) === undefined) delete safe[key];
  // the notifier only reads optional fields of the request, each checked above
  return safe as OriginateRequest;
}

/** Tells the requester (Server-ID) and the event stream that a request was refused before any leg existed. */
export class InvalidRequestReporter {
  constructor(private readonly opts: InvalidRequestReporterOptions) {}

  async report(raw: Record<string, unknown>, message: string, code: IntakeErrorCode): Promise<void> {
    const req = publishableRequest(raw);
    await Promise.all([this.reply(req, message, code), this.event(req, message, code)]);
  }

  private async reply(req: OriginateRequest, message: string, code: IntakeErrorCode): Promise<void> {
    const serverId = text(req['Server-ID']);
    if (serverId === undefined) return;
    try {
      const msgId = text(req['Msg-ID']);
      const body = { 'Error-Message': message, 'Error-Code': code, Request: jsonObject.parse({ ...req }), ...(msgId !== undefined ? { 'Msg-ID': msgId } : {}) };
      const msg = buildMessage(originateError, body, envelope(this.opts.appName, this.opts.appVersion, this.opts.nodeId));
      const { exchange, routingKey } = routeFor(originateError, msg, serverId);
      await this.opts.bus.publish(exchange, routingKey, msg, { mandatory: false });
    } catch (err) {
      this.opts.logger.warn({ err, serverId }, 'originate error reply not published');
    }
  }

  private async event(req: OriginateRequest, message: string, code: IntakeErrorCode): Promise<void> {
    try {
      await this.opts.notifier.originateFailed(req, message, message, [], code);
    } catch (err) {
      this.opts.logger.warn({ err }, 'originate_failed not published');
    }
  }
}
