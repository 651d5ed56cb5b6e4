import type { PushMessage, PushResult, PushSender } from '../push.types';

/** The configured senders, chosen per pn-provider; providers not listed go to the fallback (the generic gateway) when there is one. */
export class PushSenders implements PushSender {
  readonly name = 'router';

  constructor(
    private readonly byProvider: ReadonlyMap<string, PushSender>,
    private readonly fallback?: PushSender,
  ) {}

  /** Whether a push to this provider can go anywhere (a device of another provider is not pushable). */
  serves(provider: string): boolean {
    return this.byProvider.has(provider.toLowerCase()) || this.fallback !== undefined;
  }

  send(message: PushMessage): Promise<PushResult> {
    const sender = this.byProvider.get(message.provider.toLowerCase()) ?? this.fallback;
    if (sender === undefined) return Promise.resolve({ ok: false, error: `no push sender configured for provider ${message.provider}` });
    return sender.send(message).catch((err: unknown) => ({ ok: false as const, error: err instanceof Error ? err.message : String(err) }));
  }

  async close(): Promise<void> {
    const all = new Set([...this.byProvider.values(), ...(this.fallback !== undefined ? [this.fallback] : [])]);
    await Promise.all([...all].map((s) => s.close?.()));
  }
}
