import { useEffect, useState } from 'preact/hooks';
import { EventStream, callBindings, eventsUrl, loadEventsLocation, type StreamStatus } from '../api/event-stream';
import type { KazooClient } from '../api/kazoo-client';
import { applyEvent, type CallMap, type LiveCall } from './live-calls';

export interface CallHistory {
  /** The leg as its logged events, then its live ones, made it; undefined until one arrived. */
  call?: LiveCall;
  status: StreamStatus;
  /** False when the account's log had already dropped some of its events (it keeps a bounded window). */
  complete: boolean;
  detail?: string;
}

/** The first cursor of any log: a subscribe since it replays everything the account's log still keeps. */
const LOG_START = '0-0';

/**
 * One leg's whole history: a stream of its own, bound to that Call-ID, resumed from the start of the account's event
 * log, so the server replays the logged events (in order, each once) and then goes on with the live ones.
 */
export function useCallHistory(client: KazooClient, callId: string): CallHistory {
  const [calls, setCalls] = useState<CallMap>(new Map());
  const [status, setStatus] = useState<Omit<CallHistory, 'call'>>({ status: 'connecting', complete: true });

  useEffect(() => {
    let closed = false;
    let stream: EventStream | undefined;
    setCalls(new Map());
    loadEventsLocation()
      .then((where) => {
        if (closed) return;
        stream = new EventStream(eventsUrl(where), client.session.token, client.session.accountId, {
          onEvent: (e) => setCalls((c) => applyEvent(c, e, Date.now())),
          onStatus: (s, detail) => setStatus((old) => ({ status: s, complete: old.complete, ...(detail !== undefined ? { detail } : {}) })),
          onResumed: (complete) => setStatus((old) => ({ ...old, complete: old.complete && complete })),
        }, { bindings: callBindings(callId), since: LOG_START });
        stream.open();
      })
      .catch((err: unknown) => setStatus({ status: 'down', complete: true, detail: String(err) }));
    return () => {
      closed = true;
      stream?.close();
    };
  }, [client, callId]);

  const call = calls.get(callId);
  return { ...status, ...(call !== undefined ? { call } : {}) };
}
