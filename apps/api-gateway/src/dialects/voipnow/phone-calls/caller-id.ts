import { displayNameProblem } from '@legwork/contracts';

/** A UAPI-Caller-Id read apart: what the sources or the destination are shown. */
export interface ParsedCallerId {
  name?: string;
  number: string;
}

// `John Doe <+3334444>`, `"John Doe" <4242425>`, `<4242425>` or a bare number
const NAME_ADDR = /^\s*(?:"([^"]*)"|([^"<>]*?))\s*<\s*([^<>\s]*)\s*>\s*$/;
const NUMBER = /^\+?[0-9]{1,20}$/;
const MAX = 160;

/** The caller id, or the reason it is not one (UAPI-Caller-Id: `John Doe <+3334444>`). */
export function parseCallerId(value: unknown): ParsedCallerId | string {
  if (typeof value !== 'string') return 'must be a string such as "John Doe <+3334444>"';
  if (value.length === 0 || value.length > MAX) return `must be 1 to ${MAX} characters, such as "John Doe <+3334444>"`;
  const bare = value.trim();
  if (NUMBER.test(bare)) return { number: bare };
  const m = NAME_ADDR.exec(value);
  if (m === null) return 'must have the format "John Doe <+3334444>"';
  const number = m[3] ?? '';
  if (!NUMBER.test(number)) return 'the number between < and > must be digits with an optional leading +';
  const name = (m[1] ?? m[2] ?? '').trim();
  if (name === '') return { number };
  const why = displayNameProblem(name);
  return why === undefined ? { name, number } : `the name ${why}`;
}
