import { CALL_OPERATION_TEXTS, NetaxisError } from '../core/netaxis-error';
import { actionOutcome } from './call-action.outcome';
import { callState, recordingOf, seedTime } from './call.view';

function refusal(run: () => unknown): { status: number; code: string; message: string; subErrorCode?: number; detail?: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof NetaxisError) return { status: err.status, code: err.code, message: err.message, ...err.extras };
    throw err;
  }
  throw new Error('expected a NetaxisError');
}

describe('call actions as the seed answers them', () => {
  it('is nothing to report when the node did it', () => {
    expect(() => actionOutcome('hold', { result: 'ok', callState: 'held' })).not.toThrow();
  });

  it('is 404 when the call went away meanwhile', () => {
    expect(refusal(() => actionOutcome('hold', { result: 'no_such_call' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it.each([
    ['hold', 'invalid_state', CALL_OPERATION_TEXTS.callState],
    ['hold', 'failed', CALL_OPERATION_TEXTS.endpointState],
    ['reconnect', 'not_supported', CALL_OPERATION_TEXTS.callState],
    ['blindTransfer', 'failed', CALL_OPERATION_TEXTS.transferFailed],
    ['blindTransfer', 'not_supported', CALL_OPERATION_TEXTS.transferFailed],
    ['blindTransfer', 'invalid_state', CALL_OPERATION_TEXTS.callState],
    ['consultativeTransfer', 'not_supported', CALL_OPERATION_TEXTS.transferFailed],
    ['consultativeTransfer', 'failed', CALL_OPERATION_TEXTS.transferFailed],
  ] as const)('%s answered %s is 59 "%s" with the node\'s words', (action, result, text) => {
    expect(refusal(() => actionOutcome(action, { result, message: 'the node says why', callState: 'ringing' }))).toEqual({
      status: 400, code: 'INVALID_CALL_OPERATION', subErrorCode: 59, message: text, detail: 'the node says why',
    });
  });

  it('is 59 "Consultative transfer already in progress," when the node finds a leg being transferred', () => {
    expect(refusal(() => actionOutcome('consultativeTransfer', { result: 'invalid_state', callState: 'transferring', message: 'a consultative transfer of call x is already in progress' }))).toEqual({
      status: 400, code: 'INVALID_CALL_OPERATION', subErrorCode: 59, message: 'Consultative transfer already in progress,', detail: 'a consultative transfer of call x is already in progress',
    });
  });

  it.each([
    ['startRecording', 'not_supported', undefined, CALL_OPERATION_TEXTS.recordingDisabled],
    ['startRecording', 'invalid_state', 'recording', CALL_OPERATION_TEXTS.callState],
    ['startRecording', 'invalid_state', 'failed', CALL_OPERATION_TEXTS.recordingFailed],
    ['startRecording', 'failed', undefined, CALL_OPERATION_TEXTS.recordingFailed],
    ['pauseRecording', 'invalid_state', 'idle', CALL_OPERATION_TEXTS.recordingNotActive],
    ['pauseRecording', 'invalid_state', 'paused', CALL_OPERATION_TEXTS.callState],
    ['resumeRecording', 'invalid_state', 'idle', CALL_OPERATION_TEXTS.recordingNotActive],
    ['stopRecording', 'invalid_state', 'idle', CALL_OPERATION_TEXTS.recordingNotActive],
  ] as const)('%s answered %s (recording %s) is 59 "%s"', (action, result, callState, text) => {
    expect(refusal(() => actionOutcome(action, { result, message: 'the node says why', ...(callState !== undefined ? { callState } : {}) }))).toMatchObject({ subErrorCode: 59, message: text, detail: 'the node says why' });
  });
});

describe('call attributes', () => {
  it.each([
    [{ state: 'ringing' }, undefined, 'Alerting'],
    [{ state: 'early' }, undefined, 'Alerting'],
    [{ state: 'answered' }, undefined, 'Active'],
    [{ state: 'bridged' }, { state: 'bridged' }, 'Active'],
    [{ state: 'bridged' }, { state: 'held', hold: 'local' }, 'Held'],
    [{ state: 'bridged', hold: 'remote' }, { state: 'bridged' }, 'Held'],
    [{ state: 'bridged' }, { state: 'bridged', hold: 'remote' }, 'Remote Held'],
    [{ state: 'ended' }, undefined, 'Released'],
  ])('%j with the remote party %j is %s', (leg, peer, state) => {
    expect(callState(leg, peer)).toBe(state);
  });

  it('writes times as the seed does', () => {
    expect(seedTime(Date.UTC(2021, 9, 29, 11, 45, 14, 535))).toBe('2021-10-29T11:45:14.535000');
    expect(seedTime(undefined)).toBeUndefined();
  });

  it('follows the recording control machine', () => {
    // record → pause-stop → resume-stop → pause-stop …; stop brings record back
    expect(recordingOf('off', false)).toEqual({ recorded: false, allowedRecordingControls: 'none' });
    expect(recordingOf('off', true)).toEqual({ recorded: false, allowedRecordingControls: 'record' });
    expect(recordingOf('recording', true)).toEqual({ recorded: true, recordingState: 'Started', allowedRecordingControls: 'pause-stop' });
    expect(recordingOf('paused', true)).toEqual({ recorded: true, recordingState: 'Paused', allowedRecordingControls: 'resume-stop' });
    expect(recordingOf('stopped', true)).toEqual({ recorded: false, allowedRecordingControls: 'record' });
    expect(recordingOf('failed', true)).toEqual({ recorded: false, recordingState: 'Failed', allowedRecordingControls: 'none' });
  });
});
