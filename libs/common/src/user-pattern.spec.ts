import { USER_PATTERN_MAX_LENGTH, UserPatternError, compileUserPattern, tryUserPattern, userPatternProblem } from './user-pattern';

describe('user patterns (RE2)', () => {
  it('matches like RegExp#exec: the match, then groups, undefined for a group that did not take part', () => {
    const p = compileUserPattern('^\\+1(\\d{3})(x)?');
    expect(p.exec('+14155550100')).toEqual(['+1415', '415', undefined]);
    expect(p.exec('+44')).toBeNull();
    expect(p.test('+1415')).toBe(true);
  });

  it('answers a pattern that is catastrophic for a backtracking engine, with the right result', () => {
    // (a+)+$ against 32 a's then b: ~2^32 steps for a backtracking engine, linear for RE2
    expect(compileUserPattern('(a+)+$').test(`${'a'.repeat(32)}b`)).toBe(false);
    expect(compileUserPattern('^(?:a|a)*(b)$').exec(`${'a'.repeat(32)}b`)?.[1]).toBe('b');
  });

  it('refuses what RE2 cannot run and what is too long, saying why', () => {
    expect(userPatternProblem('(a)\\1')).toMatch(/RE2 syntax/);
    expect(userPatternProblem('(?=a)a')).toMatch(/RE2 syntax/);
    expect(userPatternProblem('a'.repeat(USER_PATTERN_MAX_LENGTH + 1))).toMatch(/at most 256/);
    expect(userPatternProblem('')).toMatch(/non-empty/);
    expect(() => compileUserPattern('(a)\\1')).toThrow(UserPatternError);
    expect(tryUserPattern('(a)\\1')).toBeUndefined();
  });

  it('compiles a source once', () => {
    expect(compileUserPattern('^\\d+$')).toBe(compileUserPattern('^\\d+$'));
  });
});
