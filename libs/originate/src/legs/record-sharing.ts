import type { CallRecord } from '@legwork/call-state';

/** A record's empty variables: one frozen object for every leg that has none (records are only read). */
const NO_VARS: CallRecord['cav'] = Object.freeze({});
const NO_DIALECT: CallRecord['dialect'] = Object.freeze({});

/**
 * A copy of the store's record whose text fields are the strings the leg already holds wherever they are equal.
 * Every store reply decodes fresh copies of the call id, account, addresses and states, and a leg keeps its last
 * record for the call's whole life.
 */
export function sharingStrings(record: CallRecord, known: ReadonlyArray<string | undefined>): CallRecord {
  const out: Record<string, unknown> = { ...record };
  // for-in and an index loop: entries() and find() made an array per field and a closure per string, for every reply
  for (const key in out) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    for (let i = 0; i < known.length; i++) {
      if (known[i] === value) {
        out[key] = known[i];
        break;
      }
    }
  }
  const shared = out as unknown as CallRecord;
  if (isEmpty(shared.cav)) shared.cav = NO_VARS;
  if (isEmpty(shared.dialect)) shared.dialect = NO_DIALECT;
  return shared;
}

const isEmpty = (value: object | undefined): boolean => value !== undefined && Object.keys(value).length === 0;
