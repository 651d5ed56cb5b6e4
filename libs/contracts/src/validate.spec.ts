import { LegworkError } from '@legwork/common';
import { ContractError } from './contract.error';
import { originateUuid } from './originate-uuid.contract';
import { assertMessage, fieldPath, parseMessage } from './validate';

const uuid = { 'App-Name': 'ecallmgr', 'App-Version': '4.3.0', 'Event-Category': 'resource', 'Event-Name': 'originate_uuid', 'Msg-ID': 'm-1', 'Outbound-Call-ID': 'c-1' };

function issuesOf(raw: unknown): unknown {
  const result = parseMessage(originateUuid, raw);
  return result.ok ? 'accepted' : result.error.issues;
}

describe('parseMessage', () => {
  it('takes a decoded object, a JSON string or a raw AMQP body', () => {
    for (const raw of [uuid, JSON.stringify(uuid), Buffer.from(JSON.stringify(uuid))]) {
      const result = parseMessage(originateUuid, raw);
      expect(result.ok && result.value['Outbound-Call-ID']).toBe('c-1');
    }
  });

  it('turns garbage into a typed error instead of throwing', () => {
    expect(issuesOf('{"App-Name":')).toEqual([{ field: '(message)', rule: 'body is not valid JSON' }]);
    expect(issuesOf([uuid])).toEqual([{ field: '(message)', rule: 'must be a JSON object' }]);
    expect(issuesOf(null)).toEqual([{ field: '(message)', rule: 'must be a JSON object' }]);
    expect(issuesOf(42)).toEqual([{ field: '(message)', rule: 'must be a JSON object' }]);
  });

  it('checks the envelope names the message it is parsed as', () => {
    expect(issuesOf({ ...uuid, 'Event-Name': 'originate_started' })).toEqual([{ field: 'Event-Name', rule: 'must be "originate_uuid"' }]);
    expect(issuesOf({ ...uuid, 'Event-Category': 'error' })).toEqual([{ field: 'Event-Category', rule: 'must be "resource"' }]);
  });

  it('reports every problem at once', () => {
    expect(issuesOf({ ...uuid, 'App-Name': undefined, 'Outbound-Call-ID': 7 })).toEqual([
      { field: 'App-Name', rule: 'is required' },
      { field: 'Outbound-Call-ID', rule: 'must be a string' },
    ]);
  });

  it('gives a LegworkError with the stable code and the issues in its JSON', () => {
    const result = parseMessage(originateUuid, { ...uuid, 'Msg-ID': '' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toBeInstanceOf(LegworkError);
    expect(result.error).toBeInstanceOf(ContractError);
    expect(result.error.code).toBe('invalid_message');
    expect(JSON.parse(JSON.stringify(result.error))).toEqual({
      code: 'invalid_message',
      message: 'invalid originate_uuid: Msg-ID: must not be empty',
      details: { message: 'originate_uuid', issues: [{ field: 'Msg-ID', rule: 'must not be empty' }] },
    });
  });

  it('assertMessage throws the same error', () => {
    expect(() => assertMessage(originateUuid, {})).toThrow(ContractError);
    expect(assertMessage(originateUuid, uuid)['Msg-ID']).toBe('m-1');
  });
});

describe('fieldPath', () => {
  it('writes wire paths with array indexes', () => {
    expect(fieldPath(['Endpoints', 0, 'Invite-Format'])).toBe('Endpoints[0].Invite-Format');
    expect(fieldPath(['Codecs', 2])).toBe('Codecs[2]');
    expect(fieldPath([])).toBe('(message)');
  });
});
