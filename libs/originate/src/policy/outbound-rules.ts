import { tryUserPattern } from '@legwork/common';
import { DEFAULT_DENIED_CLASSES, type NumberClass, type OutboundRules } from '@legwork/directory';
import type { NumberFacts } from './number-class';

/** One set of rules and whose they are, for the reason a refusal gives. */
export interface RuleSource {
  owner: string;
  rules: OutboundRules;
  /** Account rules deny premium-rate and shared-cost numbers when they name no classes; users add to that. */
  defaults: boolean;
}

// libphonenumber cannot tell fixed from mobile in some plans (NANP): such a number is allowed by either, denied only by both
const covers = (listed: readonly NumberClass[], c: NumberClass, forDeny: boolean): boolean => {
  if (listed.includes(c)) return true;
  if (c !== 'fixed_line_or_mobile') return false;
  return forDeny ? listed.includes('fixed_line') && listed.includes('mobile') : listed.includes('fixed_line') || listed.includes('mobile');
};

/** Why `source` refuses the destination, or undefined when it allows it. `home` is the account's country. */
export function refusalBy(source: RuleSource, facts: NumberFacts, home: string | undefined): string | undefined {
  const { rules, owner } = source;
  const denied = rules.deny_classes ?? (source.defaults ? DEFAULT_DENIED_CLASSES : []);
  const bad = facts.classes.find((c) => covers(denied, c, true));
  if (bad !== undefined) return `${facts.e164} is a ${bad} number, which ${owner} does not allow`;
  if (rules.allow_classes !== undefined && !facts.classes.some((c) => covers(rules.allow_classes ?? [], c, false))) {
    return `${facts.e164} is a ${facts.classes.join('/')} number; ${owner} allows only ${rules.allow_classes.join(', ') || 'no class'}`;
  }
  // without a home country nothing can be shown to be domestic
  if (rules.allow_international === false && (home === undefined || facts.country !== home)) return `${facts.e164} is international for ${owner}, which dials only ${home ?? 'its own country (none set)'}`;
  if ((rules.deny_patterns ?? []).some((p) => tryUserPattern(p)?.test(facts.e164) === true)) return `${facts.e164} matches a pattern ${owner} denies`;
  // a stored pattern RE2 cannot compile allows nothing
  if (rules.allow_patterns !== undefined && !rules.allow_patterns.some((p) => tryUserPattern(p)?.test(facts.e164) === true)) return `${facts.e164} matches none of the patterns ${owner} allows`;
  return undefined;
}
