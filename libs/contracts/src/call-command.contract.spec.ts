import { callCommand } from './call-command.contract';
import { callCommandResult } from './call-command-result.contract';
import { callCommandError } from './call-command-error.contract';
import { MissingRouteError } from './contract.error';
import { buildMessage, envelope } from './envelope.contract';
import { parseMessage } from './validate';

const base = { 'App-Name': 'api-gateway', 'App-Version': '0.1.0', 'Event-Category': 'call', 'Event-Name': 'command', 'Msg-ID': 'm-1', 'Call-ID': 'leg-a' };

describe('call command', () => {
  it('accepts a Kazoo-style hangup', () => {
    const result = parseMessage(callCommand, { ...base, 'Application-Name': 'hangup', 'Insert-At': 'now', 'Hangup-Cause': 'NORMAL_CLEARING' });
    expect(result.ok && result.value['Application-Name']).toBe('hangup');
  });

  it('knows the commands Legwork will carry', () => {
    for (const name of ['hold', 'unhold', 'reconnect', 'record_start', 'record_pause', 'record_resume', 'record_stop', 'retrieve']) {
      expect(parseMessage(callCommand, { ...base, 'Application-Name': name }).ok).toBe(true);
    }
    const bad = parseMessage(callCommand, { ...base, 'Application-Name': 'dance' });
    expect(bad.ok ? [] : bad.error.issues.map((i) => i.field)).toEqual(['Application-Name']);
  });

  it('requires the target of a transfer', () => {
    const bad = parseMessage(callCommand, { ...base, 'Application-Name': 'transfer' });
    expect(bad.ok ? [] : bad.error.issues).toEqual([{ field: 'Transfer-To', rule: 'Application-Name: transfer requires Transfer-To' }]);
    const attended = parseMessage(callCommand, { ...base, 'Application-Name': 'transfer', 'Transfer-To': '2001', 'Transfer-Type': 'attended' });
    expect(attended.ok ? [] : attended.error.issues.map((i) => i.field)).toEqual(['Target-Call-ID']);
  });

  it('requires the target of a blind transfer and the other call of a consultative one', () => {
    const blind = parseMessage(callCommand, { ...base, 'Application-Name': 'blind_transfer' });
    expect(blind.ok ? [] : blind.error.issues.map((i) => i.field)).toEqual(['Transfer-To']);
    const consult = parseMessage(callCommand, { ...base, 'Application-Name': 'consultative_transfer' });
    expect(consult.ok ? [] : consult.error.issues.map((i) => i.field)).toEqual(['Target-Call-ID']);
  });

  it('refuses a Transfer-To that would break out of the SIP it reaches (CR/LF, NUL), naming the field', () => {
    for (const hostile of ['2001\r\nX-Evil: 1', '2001\u0000', '<sip:2001>\nVia: x']) {
      const bad = parseMessage(callCommand, { ...base, 'Application-Name': 'blind_transfer', 'Transfer-To': hostile });
      expect(bad.ok ? [] : bad.error.issues.map((i) => i.field)).toEqual(['Transfer-To']);
    }
    expect(parseMessage(callCommand, { ...base, 'Application-Name': 'blind_transfer', 'Transfer-To': '+14155550100' }).ok).toBe(true);
  });

  it('answers with a call_command_result on targeted, to the requester', () => {
    const result = buildMessage(callCommandResult, { 'Call-ID': 'leg-a', 'Application-Name': 'hold', Result: 'invalid_state', 'Result-Message': 'the call is ringing', 'Call-State': 'ringing' }, envelope('media-node', '0.1.0'));
    expect(callCommandResult.exchange).toBe('targeted');
    expect(callCommandResult.routingKey(result, 'gateway-1')).toBe('gateway-1');
    expect(parseMessage(callCommandResult, { ...result, Result: 'maybe' }).ok).toBe(false);
  });

  it('refuses an unreadable command with a Kazoo error reply on targeted, to the requester', () => {
    const reply = buildMessage(callCommandError, { 'Error-Message': 'invalid call_command: Call-ID: is required', 'Error-Code': 'command_invalid', Request: { 'Application-Name': 'hangup' }, 'Msg-ID': 'm-1' }, envelope('media-node', '0.1.0'));
    expect(reply).toMatchObject({ 'Event-Category': 'error', 'Event-Name': 'command_result', 'Msg-ID': 'm-1' });
    expect(callCommandError.routingKey(reply, 'gateway-1')).toBe('gateway-1');
    expect(() => callCommandError.routingKey(reply)).toThrow(MissingRouteError);
    expect(parseMessage(callCommandError, { ...reply, 'Error-Message': 7 }).ok).toBe(false);
  });

  it("is routed on callctl to the owning node's control queue", () => {
    const msg = buildMessage(callCommand, { 'Application-Name': 'hangup', 'Call-ID': 'leg-a' }, envelope('api-gateway', '0.1.0'));
    expect(callCommand.exchange).toBe('callctl');
    expect(callCommand.routingKey(msg, 'media-node-2.control')).toBe('media-node-2.control');
    expect(() => callCommand.routingKey(msg)).toThrow(MissingRouteError);
  });
});
