import { KazooApiError } from '../api/kazoo-client';

/** What went wrong, as the API said it: status, message and each field's rule. */
export function ErrorBox({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const lines = error instanceof KazooApiError ? [`${error.status} ${error.message}`, ...error.details.filter((d) => d !== error.message)] : [String(error instanceof Error ? error.message : error)];
  return (
    <div class="error" role="alert">
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}
