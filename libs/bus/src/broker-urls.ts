import { z } from 'zod';

/** One broker, or several nodes of a cluster tried in order: `amqp://a:5672,amqp://b:5672` or a list. */
export type BrokerUrls = string | readonly string[];

export type ParsedBrokerUrls = { urls: string[] } | { problem: string };

/** Splits and checks a broker list; a problem names the entry by position, never its text (it may hold a password). */
export function parseBrokerUrls(value: BrokerUrls): ParsedBrokerUrls {
  const entries = (typeof value === 'string' ? value.split(',') : [...value]).map((e) => e.trim());
  if (entries.length === 0 || entries.every((e) => e === '')) return { problem: 'must name at least one amqp:// or amqps:// URL' };
  for (const [i, entry] of entries.entries()) {
    const where = entries.length > 1 ? `entry ${i + 1} of ${entries.length}` : 'the URL';
    if (!isAmqpUrl(entry)) return { problem: `${where} must be an amqp:// or amqps:// URL (several brokers: comma-separated)` };
  }
  if (new Set(entries).size !== entries.length) return { problem: 'names the same broker twice' };
  return { urls: entries };
}

function isAmqpUrl(entry: string): boolean {
  if (!/^amqps?:\/\//i.test(entry)) return false;
  try {
    return new URL(entry).hostname !== '';
  } catch {
    return false;
  }
}

/** host:port of a broker URL, for logs (no credentials). */
export function brokerAddress(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'amqps:' ? '5671' : '5672')}`;
}

/** AMQP_URL (or the bus's `url` option) as a zod schema: a string or a list, out as the checked list of brokers. */
export const brokerUrlsSchema = z.union([z.string(), z.array(z.string())]).transform((value, ctx): string[] => {
  const parsed = parseBrokerUrls(value);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }
  return parsed.urls;
});
