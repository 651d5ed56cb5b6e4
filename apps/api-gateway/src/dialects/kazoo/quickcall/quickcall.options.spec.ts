import { KazooError } from '../core/kazoo.contract';
import { DEFAULT_TIMEOUT_S, filterNumber, parseQuickcallOptions, ringTimeout } from './quickcall.options';

function invalid(run: () => unknown): KazooError {
  try {
    run();
  } catch (err) {
    if (err instanceof KazooError) return err;
    throw err;
  }
  throw new Error('expected a KazooError');
}

describe('parseQuickcallOptions', () => {
  it("applies Kazoo's defaults when nothing is given", () => {
    expect(parseQuickcallOptions({})).toEqual({
      autoAnswer: true, cidName: undefined, cidNumber: undefined, cavs: {}, ignoreEarlyMedia: true, media: 'process',
      numberFilter: { kind: 'strip' }, targetCallId: undefined, timeout: 30,
    });
  });

  it('reads every option, coercing query-string text', () => {
    const opts = parseQuickcallOptions({
      query: { auto_answer: 'false', 'cid-name': 'Sales', 'cid-number': '+15551230000', 'ignore-early-media': 'false', media: 'bypass', number_filter: 'false', target_call_id: 'abc', timeout: '45' },
    });
    expect(opts).toMatchObject({ autoAnswer: false, cidName: 'Sales', cidNumber: '+15551230000', ignoreEarlyMedia: false, media: 'bypass', numberFilter: { kind: 'keep' }, targetCallId: 'abc', timeout: 45 });
  });

  it('lets the query override data and the body override both', () => {
    expect(parseQuickcallOptions({ data: { 'cid-name': 'data' } }).cidName).toBe('data');
    expect(parseQuickcallOptions({ data: { 'cid-name': 'data' }, query: { 'cid-name': 'query' } }).cidName).toBe('query');
    expect(parseQuickcallOptions({ data: { 'cid-name': 'data' }, query: { 'cid-name': 'query' }, body: { 'cid-name': 'body' } }).cidName).toBe('body');
    expect(parseQuickcallOptions({ data: { timeout: 10 }, query: { timeout: '20' } }).timeout).toBe(20);
  });

  it("defaults media to what the platform can serve; a media the request names wins", () => {
    expect(parseQuickcallOptions({}, 'bypass').media).toBe('bypass');
    expect(parseQuickcallOptions({}, 'process').media).toBe('process');
    expect(parseQuickcallOptions({ query: { media: 'process' } }, 'bypass').media).toBe('process');
    expect(parseQuickcallOptions({ data: { media: 'bypass' } }, 'process').media).toBe('bypass');
  });

  it('takes the last value of a repeated query key', () => {
    expect(parseQuickcallOptions({ query: { media: ['process', 'bypass'] } }).media).toBe('bypass');
  });

  it('keeps timeouts above 3 and replaces anything else with 30', () => {
    expect(ringTimeout(4)).toBe(4);
    expect(ringTimeout('60')).toBe(60);
    for (const bad of [3, 0, -5, 2.5, 'soon', '', null, true, undefined]) expect(ringTimeout(bad)).toBe(DEFAULT_TIMEOUT_S);
  });

  it('collects CAVs from data, the query and the body, filtering reserved keys', () => {
    const opts = parseQuickcallOptions({
      data: { custom_application_vars: { foo: 'data', keep: 1, timeout: 'reserved' } },
      query: { foo: 'query', bar: 'q', auth_token: 'secret', 'cid-name': 'x', number_filter: 'true' },
      body: { custom_application_vars: { baz: true } },
    });
    expect(opts.cavs).toEqual({ foo: 'query', keep: 1, bar: 'q', baz: true });
  });

  it('lets the body CAV object win over query CAVs', () => {
    expect(parseQuickcallOptions({ query: { foo: 'q' }, body: { custom_application_vars: { foo: 'b' } } }).cavs).toEqual({ foo: 'b' });
  });

  it("answers 400 'invalid data' in Kazoo's field → rule shape for bad values", () => {
    const err = invalid(() => parseQuickcallOptions({ query: { media: 'sometimes', auto_answer: 'maybe' }, data: { custom_application_vars: { deep: { x: 1 } } } }));
    expect(err.status).toBe(400);
    expect(err.kazooMessage).toBe('invalid data');
    expect(err.data).toMatchObject({
      media: { enum: { message: 'must be bypass or process', value: 'sometimes' } },
      auto_answer: { type: { value: 'maybe' } },
      'custom_application_vars.deep': { type: {} },
    });
  });

  it('refuses a number_filter that is not a valid regex', () => {
    expect(invalid(() => parseQuickcallOptions({ query: { number_filter: '([0-9' } })).data).toHaveProperty(['number_filter', 'pattern']);
  });
});

describe('filterNumber', () => {
  it('true strips Kazoo\'s formatting characters (space , . - ( ))', () => {
    const opts = parseQuickcallOptions({ query: { number_filter: 'true' } });
    expect(filterNumber('+1 (415) 555-01.23,', opts.numberFilter)).toBe('+14155550123');
  });

  it('false keeps the number as given', () => {
    expect(filterNumber('+1 (415) 555-0123', { kind: 'keep' })).toBe('+1 (415) 555-0123');
  });

  it('a regex dials its first capture group, or the number as given without a match', () => {
    const { numberFilter } = parseQuickcallOptions({ query: { number_filter: '^\\+?1?(\\d{10})$' } });
    expect(filterNumber('+14155550123', numberFilter)).toBe('4155550123');
    expect(filterNumber('ext-12', numberFilter)).toBe('ext-12');
  });

  it('refuses a number that filters down to nothing', () => {
    expect(invalid(() => filterNumber('(-)', { kind: 'strip' })).data).toHaveProperty(['number', 'minLength']);
  });
});
