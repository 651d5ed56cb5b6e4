/** fetch hides the reason in `cause` ("fetch failed": ECONNREFUSED): both, for the PUSH_FAILED event. */
export function describeError(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const { message, cause } = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const inner = typeof cause?.message === 'string' ? cause.message : typeof cause?.code === 'string' ? cause.code : undefined;
  return [typeof message === 'string' ? message : String(err), inner].filter((s) => s !== undefined).join(': ');
}
