import { z } from 'zod';
import { RtpengineError } from './rtpengine.errors';

const hostPort = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/, 'expected host:port (IPv6 as [addr]:port)');

export const rtpengineOptionsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  timeoutMs: z.number().int().positive().max(60_000).optional(),
  retries: z.number().int().min(0).max(10).optional(),
  maxPending: z.number().int().positive().optional(),
});

/** Parses `RTPENGINE_NG` ("127.0.0.1:2223", "[::1]:2223"); empty or absent means "no rtpengine configured". */
export function parseRtpengineAddress(value: string | undefined): { host: string; port: number } | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = hostPort.safeParse(value);
  if (!parsed.success) throw new RtpengineError('rtpengine_config', `invalid rtpengine ng address "${value}": expected host:port`, { value });
  const at = parsed.data.lastIndexOf(':');
  const host = parsed.data.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(parsed.data.slice(at + 1));
  if (port < 1 || port > 65535) throw new RtpengineError('rtpengine_config', `invalid rtpengine ng port in "${value}"`, { value });
  return { host, port };
}
