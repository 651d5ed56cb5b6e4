import { hookPayload } from './hook-payload';

/** One hook a webhook document may name (Kazoo's hook definition documents: `{id, name, description}`). */
export interface HookDefinition {
  id: string;
  name: string;
  description: string;
}

/** The hooks the platform fires, with Kazoo's names and descriptions (webhooks_channel_*.erl); `originate_failed` is Legwork's. */
export const HOOK_DEFINITIONS: readonly HookDefinition[] = [
  { id: 'channel_answer', name: 'Channel Answer', description: 'This webhook is triggered when a channel establishes two-way audio, such as a voicemail box or the called party answering' },
  { id: 'channel_bridge', name: 'Channel Bridge', description: 'This webhook is triggered when two channels are bridged together, such as two users/devices connected together' },
  { id: 'channel_create', name: 'Channel Create', description: 'This webhook is triggered when a new channel is created' },
  { id: 'channel_destroy', name: 'Channel Destroy', description: 'This webhook is triggered when a channel is destroyed, usually as a result of a hangup' },
  { id: 'originate_failed', name: 'Originate Failed', description: 'This webhook is triggered when an origination fails before any channel exists (Legwork)' },
  { id: 'push_sent', name: 'Push Sent', description: 'This webhook is triggered when a push notification goes out to wake, or stop ringing, a mobile device (Legwork)' },
  { id: 'push_failed', name: 'Push Failed', description: 'This webhook is triggered when the push service refuses or cannot be reached (Legwork)' },
  { id: 'device_registered', name: 'Device Registered', description: 'This webhook is triggered when a device woken by a push has registered and is about to ring (Legwork)' },
];

const ACCOUNT = '5f9c1a0e3b7d4c2a8e6f1b0d9a7c3e51';
const RESELLER = '0c4e7a9b2d6f8e1a3c5b7d9f0e2a4c61';
const DEVICE = '8a2d4f6b0c1e3a5c7e9b1d3f5a7c9e02';
const OWNER = '3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c03';
const A_LEG = '6f1a9c3e5b7d9f1a3c5e7b9d1f3a5c7e9b11-quickcall';
const B_LEG = '2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c';
const TIMESTAMP = 63_900_000_000;
const PRID = '740f4707bebcf74f9b7c25d48e3358945f6aa01da5ddb387462c7eaf61bb78ad';

const ccv = { 'Account-ID': ACCOUNT, 'Authorizing-ID': DEVICE, 'Authorizing-Type': 'device', 'Owner-ID': OWNER, 'Original-Number': '+14155550100' };
const leg = {
  'Call-ID': A_LEG, 'Call-Direction': 'outbound', 'Caller-ID-Name': 'Device QuickCall', 'Caller-ID-Number': '+14155550100',
  'Callee-ID-Name': 'Desk', 'Callee-ID-Number': 'desk', From: '+14155550100@acme.legwork.local', To: 'desk@acme.legwork.local',
  Request: 'desk@acme.legwork.local', Timestamp: TIMESTAMP, 'Custom-Application-Vars': {}, 'Custom-Channel-Vars': ccv,
};

/** A call event of each hook, as a media node publishes it; the samples are these run through the real payload builder. */
const SAMPLE_EVENTS: Record<string, Record<string, unknown>> = {
  channel_create: { ...leg, 'Event-Name': 'CHANNEL_CREATE' },
  channel_answer: { ...leg, 'Event-Name': 'CHANNEL_ANSWER' },
  channel_bridge: { ...leg, 'Event-Name': 'CHANNEL_BRIDGE', 'Other-Leg-Call-ID': B_LEG, 'Other-Leg-Destination-Number': '+14155550100' },
  channel_destroy: {
    ...leg, 'Event-Name': 'CHANNEL_DESTROY', 'Other-Leg-Call-ID': B_LEG, 'Hangup-Cause': 'NORMAL_CLEARING', 'Hangup-Code': 'sip:200',
    'Duration-Seconds': 6, 'Ringing-Seconds': 1, 'Billing-Seconds': 5,
  },
  push_sent: { ...leg, 'Event-Name': 'PUSH_SENT', 'Push-Provider': 'apns', 'Push-PRID': PRID, 'Push-Kind': 'call' },
  push_failed: { ...leg, 'Event-Name': 'PUSH_FAILED', 'Push-Provider': 'apns', 'Push-PRID': PRID, 'Push-Kind': 'call', 'Push-Status': 410, 'Push-Error': 'Unregistered' },
  device_registered: { ...leg, 'Event-Name': 'DEVICE_REGISTERED', 'Push-Provider': 'apns', 'Push-PRID': PRID, Contact: 'sip:desk@192.0.2.10:5062', 'Registrar-Node': 'media-2', 'Push-Wake-Ms': 1350 },
  originate_failed: {
    'Event-Name': 'originate_failed', 'Call-ID': A_LEG, 'Error-Message': 'NO_ANSWER', 'Error-Code': 'no_answer', 'Outbound-Call-IDs': [A_LEG], Timestamp: TIMESTAMP,
    Request: { 'Application-Name': 'transfer', 'Application-Data': { Route: '+14155550100' } }, 'Custom-Channel-Vars': ccv,
  },
};

/** Kazoo's sample names (`webhooks_<hook>`, its priv file names), sorted as Kazoo lists them. */
export function hookSampleNames(): string[] {
  return Object.keys(SAMPLE_EVENTS).map((hook) => `webhooks_${hook}`).sort();
}

/** The sample payloads of `webhooks_<hook>` (a list, as Kazoo's files hold), or undefined for an unknown name. */
export function hookSamples(name: string): Array<Record<string, unknown>> | undefined {
  const hook = name.startsWith('webhooks_') ? name.slice('webhooks_'.length) : undefined;
  const event = hook !== undefined && Object.hasOwn(SAMPLE_EVENTS, hook) ? SAMPLE_EVENTS[hook] : undefined;
  return event === undefined ? undefined : [hookPayload(event, ACCOUNT, {}, RESELLER)];
}
