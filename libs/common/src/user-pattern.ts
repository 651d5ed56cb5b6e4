import { RE2JS } from 're2js';
import { LegworkError } from './legwork-error';

/** Longest pattern a user may store or send: enough for any number rule, small enough to compile cheaply. */
export const USER_PATTERN_MAX_LENGTH = 256;
const CACHE_SIZE = 2_000;

/** A user-supplied pattern that could not be accepted; `details.rule` says why. */
export class UserPatternError extends LegworkError<'invalid_pattern'> {
  constructor(message: string, source: string) {
    super('invalid_pattern', message, { source: source.slice(0, USER_PATTERN_MAX_LENGTH) });
  }
}

/** A user-supplied regular expression run on RE2 (linear time: no catastrophic backtracking). */
export interface UserPattern {
  readonly source: string;
  test(text: string): boolean;
  /** Like RegExp#exec: index 0 is the match, then each group (undefined when it did not take part); null without a match. */
  exec(text: string): Array<string | undefined> | null;
}

const cache = new Map<string, UserPattern>();

function compile(source: string): UserPattern {
  const re = RE2JS.compile(source);
  return {
    source,
    test: (text) => re.test(text),
    exec: (text) => {
      const m = re.exec(text) as Array<string | undefined> | null;
      return m === null ? null : Array.from(m);
    },
  };
}

/** Why `source` is refused as a user pattern (too long, not RE2 syntax), or undefined when it is fine. */
export function userPatternProblem(source: unknown): string | undefined {
  if (typeof source !== 'string' || source.length === 0) return 'must be a non-empty regular expression';
  if (source.length > USER_PATTERN_MAX_LENGTH) return `must be at most ${USER_PATTERN_MAX_LENGTH} characters`;
  if (cache.has(source)) return undefined;
  try {
    remember(source, compile(source));
    return undefined;
  } catch (err) {
    // RE2 refuses what it cannot run in linear time: backreferences, lookaround
    return `is not a regular expression this platform runs (RE2 syntax, no backreferences or lookaround): ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The compiled pattern, compiled once per source and cached; throws UserPatternError for a refused one. */
export function compileUserPattern(source: string): UserPattern {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const problem = userPatternProblem(source);
  if (problem !== undefined) throw new UserPatternError(`pattern ${problem}`, source);
  return cache.get(source) as UserPattern;
}

/** Like compileUserPattern, but undefined for a refused pattern (stored data written before validation). */
export function tryUserPattern(source: string): UserPattern | undefined {
  try {
    return compileUserPattern(source);
  } catch {
    return undefined;
  }
}

function remember(source: string, pattern: UserPattern): void {
  // bounded: the oldest entry goes first (Map keeps insertion order)
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(source, pattern);
}
