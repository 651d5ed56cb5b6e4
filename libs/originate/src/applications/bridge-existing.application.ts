import type { Call } from '../call/call';
import { answerAcross, offerAcross } from '../call/media-relay';
import type { ResolvedEndpoint } from '../engine/originate.types';
import { Refusal } from '../engine/refusal';
import type { Leg } from '../legs/leg';
import type { AnsweredA, CallApplication, SessionView } from './application.types';

/**
 * `bridge` with Existing-Call-ID: the answered leg joins the live call of that id on this node (intake hands the
 * request over to the node holding it), paired with its leg, by third-party call control between the two dialogs.
 */
export class BridgeExistingApplication implements CallApplication {
  readonly name = 'bridge';
  private existing: { call: Call; leg: Leg } | undefined;

  async prepare(s: SessionView): Promise<void> {
    const id = s.req['Existing-Call-ID'] ?? '';
    const call = s.host.findCall(id);
    const leg = call?.leg(id);
    if (call === undefined || leg?.dialog === undefined || leg.ended) throw new Refusal('UNALLOCATED_NUMBER', `Existing-Call-ID ${id} is not live on this node`);
    this.existing = { call, leg };
  }

  dialled(): ResolvedEndpoint[] {
    return [];
  }

  otherLegCallId(): string | undefined {
    return this.existing?.leg.callId;
  }

  /** The new leg's fresh offer goes to the existing one, its answer comes back in our ACK. */
  async start(s: SessionView, a: AnsweredA): Promise<void> {
    const { existing } = this;
    if (existing === undefined) throw new Error('bridge started before prepare');
    const { call: target, leg: other } = existing;
    s.call.handOver(a.leg, target);
    target.pair(a.leg, other);
    if (s.maxDurationSeconds !== undefined) target.limitDuration(s.maxDurationSeconds);
    if (other.ended) {
      await a.leg.end({ cause: 'NORMAL_TEMPORARY_FAILURE' });
      return;
    }
    try {
      await target.negotiation.run(() =>
        a.dialog.reinvite({
          answer: async (response) => {
            const dialog = other.dialog;
            if (dialog === undefined || response.body.length === 0) return undefined;
            const offer = await offerAcross(a.leg, other, response.bodyText);
            const reply = await dialog.reinvite({ body: offer });
            if (reply.status >= 300 || reply.body.length === 0) return undefined;
            void other.negotiated('local', offer);
            return answerAcross(a.leg, other, reply.bodyText);
          },
        }),
      );
      await Promise.all([a.leg.bridge(other), other.bridge(a.leg)]);
    } catch (err) {
      s.legContext.logger.warn({ err, callId: a.leg.callId }, 'bridge to existing call failed');
      await a.leg.end({ cause: 'NORMAL_TEMPORARY_FAILURE' });
    }
  }
}
