import { z } from 'zod';
import { SipServerError } from './sip-server.errors';

const port = z.number().int().min(0).max(65535);

/** Listen settings; a port left out disables that transport, 0 asks the OS for a free one. */
export const sipServerListenSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    /** Put in Via/Contact when the bind address is not what peers can reach (0.0.0.0, NAT). */
    advertisedHost: z.string().min(1).optional(),
    udpPort: port.optional(),
    tcpPort: port.optional(),
    wsPort: port.optional(),
    wsPath: z.string().startsWith('/').optional(),
    userAgent: z.string().min(1).default('Legwork'),
  })
  .refine((o) => o.udpPort !== undefined || o.tcpPort !== undefined || o.wsPort !== undefined, { message: 'at least one of udpPort, tcpPort, wsPort is required' });

export type SipServerListenInput = z.input<typeof sipServerListenSchema>;
export type SipServerListen = z.output<typeof sipServerListenSchema>;

export function parseSipServerListen(input: SipServerListenInput): SipServerListen {
  const parsed = sipServerListenSchema.safeParse(input);
  if (!parsed.success) throw new SipServerError('bad_config', `invalid SIP server options: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return parsed.data;
}
