import { eventTimestamps } from '../gregorian-time';

const ANSWERED_AT = Date.UTC(2024, 4, 1, 12, 0, 0);

/** A CHANNEL_* event as a media node publishes it, for the A-leg of a quickcall. */
export function sampleCallEvent(eventName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'App-Name': 'media-node',
    'App-Version': '0.1.0',
    'Event-Category': 'call_event',
    'Event-Name': eventName,
    'Msg-ID': '0b6d7c8e-8c0c-4b7e-9a51-2f6f5d9b1e11',
    Node: 'media-node@10.0.0.5',
    'Call-ID': '5d2f1c8a-quickcall@10.0.0.5',
    'Call-Direction': 'outbound',
    'Caller-ID-Name': 'Device QuickCall',
    'Caller-ID-Number': '+15555550100',
    'Callee-ID-Name': 'Front Desk',
    'Callee-ID-Number': '1001',
    From: '+15555550100@acme.sip.example.com',
    To: 'frontdesk@acme.sip.example.com',
    Request: 'frontdesk@acme.sip.example.com',
    'Channel-State': 'EXECUTE',
    'Channel-Call-State': 'ACTIVE',
    ...eventTimestamps(ANSWERED_AT),
    'Custom-Application-Vars': { orderId: '42', campaign: 'spring' },
    'Custom-Channel-Vars': {
      'Account-ID': '4b2b8c1f6f3a4e0a9d7c5b3a1f0e9d8c',
      'Authorizing-ID': '9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      'Authorizing-Type': 'device',
      'Owner-ID': 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    },
    ...extra,
  };
}
