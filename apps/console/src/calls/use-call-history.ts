import { useEffect, useState } from 'preact/hooks';
import { EventStream, callBindings, eventsUrl, loadEventsLocation, type StreamStatus } from '../api/event-stream';
import type { KazooClient } from '../api/kazoo-client';
import { legsOf } from './call-history';
import { applyEvent, type CallMap } from './live-calls';

export interface CallHistory {
  /** Every leg of the call as its logged events, then its live ones, made it. */
  calls: CallMap;
  /** The legs followed, the page's own first. */
  legs: string[];
  status: StreamStatus;
  /** False when the account's log had already dropped some of its events (it keeps a bounded window). */
  complete: boolean;
  detail?: string;
}

/** The first cursor of any log: a subscribe since it replays everything the account's log still keeps. */
const LOG_START = '0-0';

/**
 * A call's whole history: a stream of its own, bound to the Call-IDs of its legs, resumed from the start of the account's
 * event log, so the server replays the logged events (in order, each once) and then goes on with the live ones. A leg
 * the events name that is not followed yet opens the stream again with it bound too; what is replayed twice is applied once.
 */
export function useCallHistory(client: KazooClient, callId: string): CallHistory {
  const [calls, setCalls] = useState<CallMap>(new Map());
  const [status, setStatus] = useState<Pick<CallHistory, 'status' | 'complete' | 'detail'>>({ status: 'connecting', complete: true });
  const legs = legsOf(calls, callId);
  const bound = legs.join(' ');

  useEffect(() => setCalls(new Map()), [client, callId]);
  useEffect(() => {
    let closed = false;
    let stream: EventStream | undefined;
    loadEventsLocation()
      .then((where) => {
        if (closed) return;
        stream = new EventStream(eventsUrl(where), client.session.token, client.session.accountId, {
          onEvent: (e) => setCalls((c) => applyEvent(c, e, Date.now())),
          onStatus: (s, detail) => setStatus((old) => ({ status: s, complete: old.complete, ...(detail !== undefined ? { detail } : {}) })),
          onResumed: (complete) => setStatus((old) => ({ ...old, complete: old.complete && complete })),
        }, { bindings: bound.split(' ').flatMap((leg) => callBindings(leg)), since: LOG_START });
        stream.open();
      })
      .catch((err: unknown) => setStatus({ status: 'down', complete: true, detail: String(err) }));
    return () => {
      closed = true;
      stream?.close();
    };
  }, [client, bound]);

  return { calls, legs, ...status };
}
