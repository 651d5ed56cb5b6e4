import { denormalize, denormalizeKey, normalize, normalizeKey, type Normalized } from './normalize';
import { stripEnvelope } from './envelope.contract';
import { kazooDeviceQuickcallRequest, kazooQuickcallErrorReply } from './testing';

// `data` of seed 000's "Execute a quick call for a device" response, verbatim.
const SEED_DEVICE_QUICKCALL_DATA = {
  export_custom_channel_vars: ['Account-ID', 'Retain-CID', 'Authorizing-ID', 'Authorizing-Type'],
  custom_channel_vars: {
    authorizing_id: '{DEVICE_ID}',
    authorizing_type: 'device',
    inherit_codec: 'false',
    retain_cid: 'true',
    account_id: '{ACCOUNT_ID}',
  },
  continue_on_fail: false,
  dial_endpoint_method: 'simultaneous',
  outbound_callee_id_number: '{DEVICE_CALLER_ID_NUMBER}',
  outbound_callee_id_name: '{DEVICE_CALLER_ID_NAME}',
  outbound_caller_id_number: '{E164_NUMBER}',
  outbound_caller_id_name: 'Device QuickCall',
  media: 'process',
  ignore_early_media: true,
  timeout: 30,
  endpoints: [
    {
      outbound_call_id: '{CALL_ID}-quickcall',
      custom_channel_vars: {
        auto_answer: true,
        authorizing_id: '{DEVICE_ID}',
        owner_id: '{USER_ID}',
        account_id: '{ACCOUNT_ID}',
        media_encryption_enforce_security: false,
        sip_invite_domain: '{ACCOUNT_REALM}',
      },
      custom_sip_headers: { x_kazoo_aor: 'sip:{DEVICE_SIP_USER}@{ACCOUNT_REALM}' },
      presence_id: '{PRESENCE_ID}',
      codecs: ['PCMU', 'PCMA'],
      endpoint_id: '{DEVICE_ID}',
      to_did: '{E164_NUMBER}',
      to_realm: '{ACCOUNT_REALM}',
      to_username: '{DEVICE_SIP_USER}',
      to_user: '{DEVICE_SIP_USER}',
      invite_format: 'username',
    },
  ],
  application_data: { route: '{PHONE_NUMBER}' },
  application_name: 'transfer',
};

// `data` of seed 000's failing quickcall response, verbatim.
const SEED_FAILED_QUICKCALL_DATA = {
  error_message: 'DESTINATION_OUT_OF_ORDER',
  request: {
    app_name: 'crossbar',
    app_version: '4.0.0',
    application_data: { route: '{EXTENSION}' },
    application_name: 'transfer',
    continue_on_fail: false,
    custom_channel_vars: {
      account_id: '{ACCOUNT_ID}',
      authorizing_id: '{DEVICE_ID}',
      authorizing_type: 'device',
      inherit_codec: 'false',
      retain_cid: 'true',
    },
    dial_endpoint_method: 'simultaneous',
    endpoints: [
      {
        codecs: ['PCMU', 'PCMA'],
        custom_channel_vars: {
          account_id: '{ACCOUNT_ID}',
          authorizing_id: '{DEVICE_ID}',
          authorizing_type: 'device',
          auto_answer: true,
          media_encryption_enforce_security: false,
          sip_invite_domain: '{SIP_REALM}',
        },
        custom_sip_headers: {
          x_kazoo_aor: 'sip:{SIP_USERNAME}@{SIP_REALM}',
          x_kazoo_invite_format: 'contact',
        },
        ignore_completed_elsewhere: false,
        invite_format: 'contact',
        outbound_call_id: '{CALL_ID}-quickcall',
        presence_id: '{SIP_USERNAME}@{SIP_REALM}',
        to_did: '{EXTENSION}',
        to_realm: '{SIP_REALM}',
        to_user: '{SIP_USERNAME}',
        to_username: '{SIP_USERNAME}',
      },
    ],
    event_category: 'resource',
    event_name: 'originate_req',
    export_custom_channel_vars: [
      'Account-ID',
      'Retain-CID',
      'Authorizing-ID',
      'Authorizing-Type',
      'Outbound-Callee-ID-Number',
      'Outbound-Callee-ID-Name',
    ],
    ignore_early_media: true,
    media: 'process',
    msg_id: '{MSG_ID}',
    node: '{NODE}',
    outbound_callee_id_name: '{DEVICE_CALLER_ID_NAME}',
    outbound_callee_id_number: '{DEVICE_CALLER_ID_NUMBER}',
    outbound_caller_id_name: 'Device QuickCall',
    outbound_caller_id_number: '{EXTENSION}',
    server_id: '{API_AMQP_QUEUE}',
    system_log_id: '{LOG_ID}',
    timeout: 30,
  },
};

describe('normalize', () => {
  it('reproduces the device quickcall response body of seed 000 from the originate_req', () => {
    expect(normalize(stripEnvelope(kazooDeviceQuickcallRequest()))).toEqual(SEED_DEVICE_QUICKCALL_DATA);
  });

  it('reproduces the failing quickcall body, the echoed request keeping its envelope', () => {
    expect(normalize(stripEnvelope(kazooQuickcallErrorReply()))).toEqual(SEED_FAILED_QUICKCALL_DATA);
  });

  it('converts the keys named in the design', () => {
    const out = normalize({ 'Custom-Application-Vars': {}, 'Call-ID': 'a', 'Outbound-Call-ID': 'b', 'Msg-ID': 'c' });
    expect(Object.keys(out)).toEqual(['custom_application_vars', 'call_id', 'outbound_call_id', 'msg_id']);
  });

  it("keeps the caller's own Custom-Application-Vars keys and values untouched", () => {
    const out = normalize({ 'Custom-Application-Vars': { orderId: '42', 'Ticket-Ref': 'T-1' }, 'Call-ID': 'x' });
    expect(out).toEqual({ custom_application_vars: { orderId: '42', 'Ticket-Ref': 'T-1' }, call_id: 'x' });
  });

  it('does not alias the input', () => {
    const input = { 'Custom-Application-Vars': { a: '1' } };
    const out = normalize(input) as { custom_application_vars: Record<string, string> };
    out.custom_application_vars.a = 'changed';
    expect(input['Custom-Application-Vars'].a).toBe('1');
  });
});

describe('denormalize', () => {
  it('turns the seed REST body back into the wire originate_req', () => {
    expect(denormalize(SEED_DEVICE_QUICKCALL_DATA)).toEqual(stripEnvelope(kazooDeviceQuickcallRequest()));
  });

  it('keeps custom_application_vars keys as the user wrote them', () => {
    expect(denormalize({ custom_application_vars: { foo_bar: 'x' }, target_call_id: 'y' })).toEqual({
      'Custom-Application-Vars': { foo_bar: 'x' },
      'Target-Call-ID': 'y',
    });
  });

  it('writes Kazoo acronyms in capitals', () => {
    expect(['call_id', 'to_did', 'custom_sip_headers', 'retain_cid', 'to_uri', 'x_kazoo_aor', 'authorizing_ids'].map(denormalizeKey)).toEqual([
      'Call-ID',
      'To-DID',
      'Custom-SIP-Headers',
      'Retain-CID',
      'To-URI',
      'X-Kazoo-AOR',
      'Authorizing-IDs',
    ]);
    expect(normalizeKey('Outbound-Caller-ID-Name')).toBe('outbound_caller_id_name');
  });
});

describe('Normalized<T>', () => {
  it('names the keys normalize() writes, so REST and websocket readers are typed by the wire contract', () => {
    const wire = { 'Call-ID': 'c1', 'Custom-Channel-Vars': { 'Account-ID': 'a1' }, 'Custom-Application-Vars': { 'Crm-Id': '7' }, Legs: [{ 'Other-Leg-Call-ID': 'c2' }] };
    const out = normalize(wire) as Normalized<typeof wire>;
    expect([out.call_id, out.custom_channel_vars.account_id, out.custom_application_vars['Crm-Id'], out.legs[0]?.other_leg_call_id]).toEqual(['c1', 'a1', '7', 'c2']);
  });
});
