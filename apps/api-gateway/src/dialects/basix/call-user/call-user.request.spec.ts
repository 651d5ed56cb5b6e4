import { BasixError } from '../core/basix.error';
import { DEFAULT_ANSWER_TIMEOUT_S, parseCallUser } from './call-user.request';

const failure = (body: unknown): { id: string; status: number; field?: string } => {
  try {
    parseCallUser(body);
  } catch (err) {
    if (err instanceof BasixError) return { id: err.id, status: err.status, ...(err.field !== undefined ? { field: err.field } : {}) };
    throw err;
  }
  throw new Error('parsed');
};

describe('call_user parameters', () => {
  it("applies the seed's defaults: answer_timeout 180, auto_answer false, no group, no callback", () => {
    expect(parseCallUser({ user_id: 10001001, destination: '0312341234' })).toEqual({
      user: { by: 'user_id', value: '10001001' }, answerTimeoutS: DEFAULT_ANSWER_TIMEOUT_S, destination: { target: '0312341234' }, autoAnswer: false,
    });
  });

  it('reads every optional parameter', () => {
    const parsed = parseCallUser({
      user_name: 'jessica', calling_name: 'Thomas Jenkins', destination: 'thomas', answer_timeout: '30', auto_answer: 'true',
      callback_url: 'https://somewhere.com/result_receiver', group_resolver: 'any:CALL_CENTER',
    });
    expect(parsed).toEqual({
      user: { by: 'user_name', value: 'jessica' }, group: { by: 'group_resolver', value: 'any:CALL_CENTER' }, answerTimeoutS: 30,
      destination: { target: 'thomas' }, callbackUrl: 'https://somewhere.com/result_receiver', autoAnswer: true, callingName: 'Thomas Jenkins',
    });
    expect(parseCallUser({ user_email: 'jones@abcd.com', group_name: 'sales', destination: '1' }).group).toEqual({ by: 'group_name', value: 'sales' });
  });

  it.each([
    [[], 'invalid_request', 400, undefined],
    ['text', 'invalid_request', 400, undefined],
    [{ destination: '1' }, 'user_required', 400, undefined],
    [{ user_id: 'a', user_name: 'b', destination: '1' }, 'user_ambiguous', 400, 'user_name'],
    [{ user_name: '', destination: '1' }, 'user_name_invalid', 400, 'user_name'],
    [{ user_id: { id: 1 }, destination: '1' }, 'user_id_invalid', 400, 'user_id'],
    [{ user_id: 'a' }, 'destination_required', 400, 'destination'],
    [{ user_id: 'a', destination: '1', answer_timeout: 0 }, 'answer_timeout_invalid', 400, 'answer_timeout'],
    [{ user_id: 'a', destination: '1', answer_timeout: 1.5 }, 'answer_timeout_invalid', 400, 'answer_timeout'],
    [{ user_id: 'a', destination: '1', answer_timeout: 3601 }, 'answer_timeout_invalid', 400, 'answer_timeout'],
    [{ user_id: 'a', destination: '1', auto_answer: 'yes' }, 'auto_answer_invalid', 400, 'auto_answer'],
    [{ user_id: 'a', destination: '1', callback_url: 'ftp://x/y' }, 'callback_url_invalid', 400, 'callback_url'],
    [{ user_id: 'a', destination: '1', callback_url: 'not a url' }, 'callback_url_invalid', 400, 'callback_url'],
    [{ user_id: 'a', destination: '1', callback_url: 'https://u:p@example.com/' }, 'callback_url_invalid', 400, 'callback_url'],
    [{ user_id: 'a', destination: '1', calling_name: 'Jos\u00e9' }, 'calling_name_invalid', 400, 'calling_name'],
    [{ user_id: 'a', destination: '1', calling_name: 'a\r\nb' }, 'calling_name_invalid', 400, 'calling_name'],
    [{ user_id: 'a', destination: '1', group_id: 'g', group_name: 'n' }, 'group_ambiguous', 400, 'group_name'],
    [{ user_id: 'a', destination: '1', group_resolver: 'any:RING_GROUP' }, 'group_resolver_invalid', 400, 'group_resolver'],
  ])('%j → %s', (body, id, status, field) => {
    expect(failure(body)).toEqual({ id, status, ...(field !== undefined ? { field } : {}) });
  });
});
