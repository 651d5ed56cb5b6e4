import { z } from 'zod';
import { envelopeSchema } from './envelope.contract';
import type { ExchangeName } from './topology';

/** Envelope plus the message's own fields, with Event-Category/Event-Name pinned to constants. */
export function messageSchema<const C extends string, const E extends string, B extends z.ZodRawShape>(
  category: C,
  eventName: E,
  body: B,
) {
  return envelopeSchema
    .extend({
      'Event-Category': z.literal(category, { error: `must be "${category}"` }),
      'Event-Name': z.literal(eventName, { error: `must be "${eventName}"` }),
    })
    .extend(body);
}

type SchemaOf<C extends string, E extends string, B extends z.ZodRawShape> = ReturnType<typeof messageSchema<C, E, B>>;

/** Routes a message; `target` is the queue for direct exchanges (requester's Server-ID, control queue). */
export type RoutingKeyBuilder<T> = (msg: T, target?: string) => string;

export interface MessageDefinition<C extends string, E extends string, B extends z.ZodRawShape> {
  /** Unique registry name (`originate_req`, `originate_error`, `CHANNEL_CREATE`, …). */
  readonly name: string;
  readonly category: C;
  readonly eventName: E;
  readonly exchange: ExchangeName;
  readonly routingKey: RoutingKeyBuilder<z.output<SchemaOf<C, E, B>>>;
  readonly schema: SchemaOf<C, E, B>;
  /** The message's own fields without the envelope: the input type of buildMessage. */
  readonly body: z.ZodObject<B>;
}

/** What generic code (registry, bus, validation) needs from any definition. */
export interface AnyMessageDefinition {
  readonly name: string;
  readonly category: string;
  readonly eventName: string;
  readonly exchange: ExchangeName;
  // method syntax on purpose: parameters stay bivariant, so every specific definition fits
  routingKey(msg: Record<string, unknown>, target?: string): string;
  readonly schema: z.ZodType<Record<string, unknown>>;
  readonly body: z.ZodType;
}

export type MessageOf<D extends AnyMessageDefinition> = z.output<D['schema']>;

type EnvelopeOverrides = Partial<Record<'Msg-ID' | 'Server-ID' | 'Node' | 'Account-ID' | 'Call-ID', string>>;

/** Body fields plus the envelope headers a publisher may set itself; unknown extra headers allowed. */
export type MessageBody<D extends AnyMessageDefinition> = z.input<D['body']> &
  EnvelopeOverrides & { [extra: string]: unknown };

export interface MessageSpec<C extends string, E extends string, B extends z.ZodRawShape> {
  name: string;
  category: C;
  eventName: E;
  exchange: ExchangeName;
  routingKey: RoutingKeyBuilder<z.output<SchemaOf<C, E, B>>>;
  body: B;
  /** Cross-field rules; report with ctx.addIssue({ code: 'custom', path: [field], message }). */
  refine?: (msg: z.output<SchemaOf<C, E, B>>, ctx: z.RefinementCtx<z.output<SchemaOf<C, E, B>>>) => void;
}

/** The one way a message is declared, so every message carries the same metadata. */
export function defineMessage<const C extends string, const E extends string, B extends z.ZodRawShape>(
  spec: MessageSpec<C, E, B>,
): MessageDefinition<C, E, B> {
  const base = messageSchema(spec.category, spec.eventName, spec.body);
  const refine = spec.refine;
  const schema = refine ? base.superRefine((msg, ctx) => refine(msg, ctx)) : base;
  return Object.freeze({
    name: spec.name,
    category: spec.category,
    eventName: spec.eventName,
    exchange: spec.exchange,
    routingKey: spec.routingKey,
    schema,
    body: z.object(spec.body),
  });
}

/** Where a message goes: its exchange and routing key (`target` for direct exchanges). */
export function routeFor<D extends AnyMessageDefinition>(
  def: D,
  msg: MessageOf<D>,
  target?: string,
): { exchange: ExchangeName; routingKey: string } {
  return { exchange: def.exchange, routingKey: def.routingKey(msg, target) };
}
