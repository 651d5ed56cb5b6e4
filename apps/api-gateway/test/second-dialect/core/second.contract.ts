/** The second dialect's error: its own vocabulary, nothing of Kazoo's. */
export class SecondError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Where the dialect is mounted. */
export const SECOND_PREFIX = '/second';

/** Header carrying the dialect's credential. */
export const SECOND_KEY_HEADER = 'x-second-key';
export const SECOND_KEY = 'open-sesame';
