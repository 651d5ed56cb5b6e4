import type { CallEvent, Normalized } from '@legwork/contracts';

/** A call event as the blackhole stream delivers it: the bus event normalized (see libs/event-stream). */
export type StreamEvent = Normalized<CallEvent>;

/** Where /console/config.json says the event stream is: a URL, or a port on the page's own host. */
export type EventsLocation = { url: string } | { port: number; path: string };

export function eventsUrl(where: EventsLocation, page: Location = location): string {
  if ('url' in where) return where.url;
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  const host = page.hostname.includes(':') ? `[${page.hostname}]` : page.hostname;
  return `${scheme}://${host}:${where.port}${where.path}`;
}

export async function loadEventsLocation(): Promise<EventsLocation> {
  const res = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`console settings: HTTP ${res.status}`);
  return ((await res.json()) as { events: EventsLocation }).events;
}

/** Legwork's call events beyond Kazoo's `*` (create/answer/bridge/hold/unhold/destroy): subscribed by name. */
const NAMED_EVENTS = ['CHANNEL_PROGRESS', 'CHANNEL_UNBRIDGE', 'RECORD_START', 'RECORD_PAUSE', 'RECORD_RESUME', 'RECORD_STOP', 'RECORDING_SAVED', 'RECORDING_FAILED'];

/** Every event of the call `callId` names, or of every call (`*`, where originate_failed joins in). */
export function callBindings(callId = '*'): string[] {
  return [`call.*.${callId}`, ...NAMED_EVENTS.map((e) => `call.${e}.${callId}`), ...(callId === '*' ? ['call.originate_failed.*'] : [])];
}

export const CALL_BINDINGS = callBindings();

/** What a stream subscribes to; `since` replays the account's event log after that cursor first (`0-0`: all it keeps). */
export interface StreamOptions {
  bindings?: string[];
  since?: string;
}

export type StreamStatus = 'connecting' | 'live' | 'down' | 'revoked';

export interface StreamHandlers {
  onEvent(event: StreamEvent): void;
  onStatus(status: StreamStatus, detail?: string): void;
  /** A subscribe with `since` was answered: `complete` false when the log had already dropped some of what was asked. */
  onResumed?(complete: boolean): void;
}

/** Close code the stream uses when the token, its user or its account died: logging in again is the only way on. */
const CREDENTIALS_REVOKED = 4001;

/**
 * One blackhole socket for the account's call events: the first frame carries the token (the socket
 * authenticates once), then it reconnects with backoff until closed or revoked.
 */
export class EventStream {
  private ws: WebSocket | undefined;
  private stopped = false;
  private retryMs = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The last event's cursor: a reconnect resumes after it, so nothing sent meanwhile is missed. */
  private cursor: string | undefined;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly accountId: string,
    private readonly handlers: StreamHandlers,
    private readonly opts: StreamOptions = {},
  ) {
    this.cursor = opts.since;
  }

  open(): void {
    this.handlers.onStatus('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      const data = { account_id: this.accountId, bindings: this.opts.bindings ?? CALL_BINDINGS, ...(this.cursor !== undefined ? { since: this.cursor } : {}) };
      ws.send(JSON.stringify({ action: 'subscribe', auth_token: this.token, request_id: 'console-subscribe', data }));
    };
    ws.onmessage = (msg: MessageEvent<string>) => this.receive(msg.data);
    ws.onclose = (ev: CloseEvent) => {
      if (this.stopped) return;
      if (ev.code === CREDENTIALS_REVOKED) return this.handlers.onStatus('revoked', ev.reason);
      this.handlers.onStatus('down', ev.reason || `closed (${ev.code})`);
      this.timer = setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 10_000);
    };
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
  }

  private receive(raw: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return;
    }
    if (frame['action'] === 'event' && typeof frame['data'] === 'object' && frame['data'] !== null) {
      if (typeof frame['cursor'] === 'string') this.cursor = frame['cursor'];
      return this.handlers.onEvent(frame['data'] as StreamEvent);
    }
    if (frame['action'] !== 'reply' || frame['request_id'] !== 'console-subscribe') return;
    if (frame['status'] === 'success') {
      this.retryMs = 500;
      const reply = (frame['data'] ?? {}) as { cursor?: unknown; resumed?: { complete?: unknown } };
      // the log's head when the subscription began: a drop before any event resumes from there
      if (this.cursor === undefined && typeof reply.cursor === 'string') this.cursor = reply.cursor;
      const resumed = reply.resumed;
      if (resumed !== undefined) this.handlers.onResumed?.(resumed.complete !== false);
      return this.handlers.onStatus('live');
    }
    const errors = ((frame['data'] as { errors?: unknown[] } | undefined)?.errors ?? []).map(String);
    this.handlers.onStatus('down', errors.join('; ') || 'subscription refused');
  }
}
