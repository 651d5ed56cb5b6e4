/**
 * Bus messages exactly as Kazoo's crossbar publishes them for a quickcall (seed 000), with the seed's
 * placeholders as values so their normalized form can be compared with the documented REST bodies.
 */

export function kazooDeviceQuickcallRequest(): Record<string, unknown> {
  return {
    'App-Name': 'crossbar',
    'App-Version': '4.0.0',
    'Event-Category': 'resource',
    'Event-Name': 'originate_req',
    'Msg-ID': '{MSG_ID}',
    Node: '{NODE}',
    'Server-ID': '{API_AMQP_QUEUE}',
    'System-Log-ID': '{LOG_ID}',
    'Export-Custom-Channel-Vars': ['Account-ID', 'Retain-CID', 'Authorizing-ID', 'Authorizing-Type'],
    'Custom-Channel-Vars': {
      'Authorizing-ID': '{DEVICE_ID}',
      'Authorizing-Type': 'device',
      'Inherit-Codec': 'false',
      'Retain-CID': 'true',
      'Account-ID': '{ACCOUNT_ID}',
    },
    'Continue-On-Fail': false,
    'Dial-Endpoint-Method': 'simultaneous',
    'Outbound-Callee-ID-Number': '{DEVICE_CALLER_ID_NUMBER}',
    'Outbound-Callee-ID-Name': '{DEVICE_CALLER_ID_NAME}',
    'Outbound-Caller-ID-Number': '{E164_NUMBER}',
    'Outbound-Caller-ID-Name': 'Device QuickCall',
    Media: 'process',
    'Ignore-Early-Media': true,
    Timeout: 30,
    Endpoints: [
      {
        'Outbound-Call-ID': '{CALL_ID}-quickcall',
        'Custom-Channel-Vars': {
          'Auto-Answer': true,
          'Authorizing-ID': '{DEVICE_ID}',
          'Owner-ID': '{USER_ID}',
          'Account-ID': '{ACCOUNT_ID}',
          'Media-Encryption-Enforce-Security': false,
          'SIP-Invite-Domain': '{ACCOUNT_REALM}',
        },
        'Custom-SIP-Headers': { 'X-Kazoo-AOR': 'sip:{DEVICE_SIP_USER}@{ACCOUNT_REALM}' },
        'Presence-ID': '{PRESENCE_ID}',
        Codecs: ['PCMU', 'PCMA'],
        'Endpoint-ID': '{DEVICE_ID}',
        'To-DID': '{E164_NUMBER}',
        'To-Realm': '{ACCOUNT_REALM}',
        'To-Username': '{DEVICE_SIP_USER}',
        'To-User': '{DEVICE_SIP_USER}',
        'Invite-Format': 'username',
      },
    ],
    'Application-Data': { Route: '{PHONE_NUMBER}' },
    'Application-Name': 'transfer',
  };
}

/** The originate_req of seed 000's failing quickcall (a `contact` endpoint of an unregistered device). */
export function kazooContactQuickcallRequest(): Record<string, unknown> {
  return {
    'App-Name': 'crossbar',
    'App-Version': '4.0.0',
    'Event-Category': 'resource',
    'Event-Name': 'originate_req',
    'Msg-ID': '{MSG_ID}',
    Node: '{NODE}',
    'Server-ID': '{API_AMQP_QUEUE}',
    'System-Log-ID': '{LOG_ID}',
    'Application-Data': { Route: '{EXTENSION}' },
    'Application-Name': 'transfer',
    'Continue-On-Fail': false,
    'Custom-Channel-Vars': {
      'Account-ID': '{ACCOUNT_ID}',
      'Authorizing-ID': '{DEVICE_ID}',
      'Authorizing-Type': 'device',
      'Inherit-Codec': 'false',
      'Retain-CID': 'true',
    },
    'Dial-Endpoint-Method': 'simultaneous',
    Endpoints: [
      {
        Codecs: ['PCMU', 'PCMA'],
        'Custom-Channel-Vars': {
          'Account-ID': '{ACCOUNT_ID}',
          'Authorizing-ID': '{DEVICE_ID}',
          'Authorizing-Type': 'device',
          'Auto-Answer': true,
          'Media-Encryption-Enforce-Security': false,
          'SIP-Invite-Domain': '{SIP_REALM}',
        },
        'Custom-SIP-Headers': {
          'X-Kazoo-AOR': 'sip:{SIP_USERNAME}@{SIP_REALM}',
          'X-Kazoo-Invite-Format': 'contact',
        },
        'Ignore-Completed-Elsewhere': false,
        'Invite-Format': 'contact',
        'Outbound-Call-ID': '{CALL_ID}-quickcall',
        'Presence-ID': '{SIP_USERNAME}@{SIP_REALM}',
        'To-DID': '{EXTENSION}',
        'To-Realm': '{SIP_REALM}',
        'To-User': '{SIP_USERNAME}',
        'To-Username': '{SIP_USERNAME}',
      },
    ],
    'Export-Custom-Channel-Vars': [
      'Account-ID',
      'Retain-CID',
      'Authorizing-ID',
      'Authorizing-Type',
      'Outbound-Callee-ID-Number',
      'Outbound-Callee-ID-Name',
    ],
    'Ignore-Early-Media': true,
    Media: 'process',
    'Outbound-Callee-ID-Name': '{DEVICE_CALLER_ID_NAME}',
    'Outbound-Callee-ID-Number': '{DEVICE_CALLER_ID_NUMBER}',
    'Outbound-Caller-ID-Name': 'Device QuickCall',
    'Outbound-Caller-ID-Number': '{EXTENSION}',
    Timeout: 30,
  };
}

/** The error reply a media node sends for that request. */
export function kazooQuickcallErrorReply(): Record<string, unknown> {
  return {
    'App-Name': 'ecallmgr',
    'App-Version': '4.2.2',
    'Event-Category': 'error',
    'Event-Name': 'originate_resp',
    'Msg-ID': '{MSG_ID}',
    Node: '{MEDIA_NODE}',
    'Error-Message': 'DESTINATION_OUT_OF_ORDER',
    Request: kazooContactQuickcallRequest(),
  };
}

/** Values for the seed's placeholders where a test needs a message that passes the SIP-safety rules. */
const PLACEHOLDER_VALUES: Record<string, string> = {
  ACCOUNT_REALM: 'acme.legwork.test', SIP_REALM: 'acme.legwork.test', DEVICE_SIP_USER: 'desk1', SIP_USERNAME: 'desk1',
  E164_NUMBER: '+14155550100', PHONE_NUMBER: '+14155550100', EXTENSION: '1001', CALL_ID: '3c5b2f0e9a1d4c7b', DEVICE_CALLER_ID_NUMBER: '+14155550111',
};

/** A sample with its SIP-bound placeholders replaced by real values (the seed's `{E164_NUMBER}` is not a dialable number). */
export function withConcreteValues<T>(sample: T): T {
  return JSON.parse(JSON.stringify(sample).replace(/\{([A-Z0-9_]+)\}/g, (whole, name: string) => PLACEHOLDER_VALUES[name] ?? whole)) as T;
}
