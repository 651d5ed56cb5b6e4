import { VoipnowError } from '../core/voipnow-error';
import { parsePhoneCallRequest } from './phone-call.request';

const example1 = { extension: '210', phoneCallView: [{ source: ['5354353', '5302040'], destination: ['3235742879'], callerId: 'John Doe <4242425>' }] };

function codeOf(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof VoipnowError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a VoipnowError');
}

describe('PhoneCalls simple: the request as the seed describes it', () => {
  it("reads the seed's first example with every default", () => {
    expect(parsePhoneCallRequest({}, example1)).toEqual({
      extension: '210',
      views: [{ source: ['5354353', '5302040'], destination: '3235742879', callerId: { name: 'John Doe', number: '4242425' } }],
      waitForPickupS: 25,
      allowPublicTransfer: false,
      video: false,
    });
  });

  it('reads the query parameters, the destination caller id and the nonce', () => {
    const body = { extension: '0003*210', phoneCallView: [{ source: ['0003*210'], destination: ['0003*00'], callerIdDestination: '<+3334444>', nonce: 'n-1' }] };
    expect(parsePhoneCallRequest({ waitForPickup: '10', callDuration: '60', allowPublicTransfer: 'true', video: 'true' }, body)).toEqual({
      extension: '0003*210',
      views: [{ source: ['0003*210'], destination: '0003*00', callerIdDestination: { number: '+3334444' }, nonce: 'n-1' }],
      waitForPickupS: 10,
      callDurationS: 60,
      allowPublicTransfer: true,
      video: true,
    });
  });

  it('leaves the extension out when the payload has none (the first source is used later)', () => {
    const parsed = parsePhoneCallRequest({}, { phoneCallView: example1.phoneCallView });
    expect(parsed).not.toHaveProperty('extension');
  });

  it.each([
    [{ waitForPickup: '0' }, 'pc_timeout_invalid', 'waitForPickup'],
    [{ waitForPickup: 'soon' }, 'pc_timeout_invalid', 'waitForPickup'],
    [{ waitForPickup: '-5' }, 'pc_timeout_invalid', 'waitForPickup'],
    [{ waitForPickup: '2.5' }, 'pc_timeout_invalid', 'waitForPickup'],
    [{ waitForPickup: ['5', '6'] }, 'pc_timeout_invalid', 'waitForPickup'],
    [{ waitForPickup: '601' }, 'pc_timeout_invalid', 'waitForPickup'],
    [{ callDuration: '' }, 'pc_duration_invalid', 'callDuration'],
    [{ callDuration: '0' }, 'pc_duration_invalid', 'callDuration'],
    [{ callDuration: 'forever' }, 'pc_duration_invalid', 'callDuration'],
    [{ allowPublicTransfer: 'yes' }, 'pc_transfer_invalid', 'allowPublicTransfer'],
    [{ allowPublicTransfer: '' }, 'pc_transfer_invalid', 'allowPublicTransfer'],
    [{ video: 'maybe' }, 'pc_video_invalid', 'video'],
  ])('query %j is a 400 %s naming %s', (query, code, field) => {
    expect(codeOf(() => parsePhoneCallRequest(query, example1))).toEqual({ status: 400, code, message: expect.stringContaining(field) });
  });

  const view = (patch: Record<string, unknown>) => ({ extension: '210', phoneCallView: [{ ...example1.phoneCallView[0], ...patch }] });

  it.each([
    [{ extension: '@self', phoneCallView: example1.phoneCallView }, 'extension_invalid', 'extension'],
    [{ extension: 210, phoneCallView: example1.phoneCallView }, 'extension_invalid', 'extension'],
    [{ extension: '21a', phoneCallView: example1.phoneCallView }, 'extension_invalid', 'extension'],
    [view({ source: [] }), 'pc_source_invalid', 'source'],
    [view({ source: 'not-a-list' }), 'pc_source_invalid', 'source'],
    [view({ source: undefined }), 'pc_source_invalid', 'source'],
    [view({ source: ['5354353', 'sip:evil@example.com'] }), 'pc_source_invalid', 'source[1]'],
    [view({ source: [42] }), 'pc_source_invalid', 'source[0]'],
    [view({ source: Array.from({ length: 11 }, (_, i) => String(1000 + i)) }), 'pc_source_invalid', 'source'],
    [view({ destination: [] }), 'pc_destination_invalid', 'destination'],
    [view({ destination: ['1', '2'] }), 'pc_destination_invalid', 'destination'],
    [view({ destination: ['abc'] }), 'pc_destination_invalid', 'destination[0]'],
    [view({ destination: ['123\r\nVia: x'] }), 'pc_destination_invalid', 'destination[0]'],
    [view({ callerId: 'John Doe' }), 'pc_callerid_invalid', 'callerId'],
    [view({ callerId: '' }), 'pc_callerid_invalid', 'callerId'],
    [view({ callerIdDestination: 'Jane <x>' }), 'pc_callerid_invalid', 'callerIdDestination'],
    [view({ nonce: '' }), 'pc_nonce_invalid', 'nonce'],
    [view({ nonce: 7 }), 'pc_nonce_invalid', 'nonce'],
    [view({ nonce: 'has space' }), 'pc_nonce_invalid', 'nonce'],
    [view({ nonce: 'n'.repeat(129) }), 'pc_nonce_invalid', 'nonce'],
    [{ extension: '210' }, 'request_invalid', 'phoneCallView'],
    [{ extension: '210', phoneCallView: ['x'] }, 'request_invalid', 'phoneCallView[0]'],
    [[], 'request_invalid', 'payload'],
  ])('payload %j is a 400 %s naming %s', (body, code, field) => {
    expect(codeOf(() => parsePhoneCallRequest({}, body))).toEqual({ status: 400, code, message: expect.stringContaining(field) });
  });

  it('drops repeated sources so a phone is rung once', () => {
    expect(parsePhoneCallRequest({}, view({ source: ['210', '210', '211'] })).views[0]?.source).toEqual(['210', '211']);
  });
});
