import { useEffect, useRef, useState } from 'preact/hooks';
import { EventStream, eventsUrl, loadEventsLocation, type StreamStatus } from '../api/event-stream';
import { SESSION_ENDED, type KazooClient } from '../api/kazoo-client';
import { applyEvent, withChannels, type CallMap, type ChannelRow } from './live-calls';

export interface LiveCalls {
  calls: CallMap;
  status: StreamStatus;
  detail?: string;
}

/** The account's calls: listed once over REST, then kept current by the blackhole stream (re-listed after each reconnect). */
export function useLiveCalls(client: KazooClient): LiveCalls {
  const [calls, setCalls] = useState<CallMap>(new Map());
  const [status, setStatus] = useState<{ status: StreamStatus; detail?: string }>({ status: 'connecting' });
  const stream = useRef<EventStream | undefined>(undefined);

  useEffect(() => {
    let closed = false;
    const relist = (): void => {
      client
        .get<ChannelRow[]>(client.path('/channels'))
        .then((rows) => !closed && setCalls((c) => withChannels(c, rows, Date.now())))
        .catch(() => undefined);
    };
    loadEventsLocation()
      .then((where) => {
        if (closed) return;
        stream.current = new EventStream(eventsUrl(where), client.session.token, client.session.accountId, {
          onEvent: (e) => setCalls((c) => applyEvent(c, e, Date.now())),
          onStatus: (s, detail) => {
            setStatus({ status: s, ...(detail !== undefined ? { detail } : {}) });
            if (s === 'live') relist();
            if (s === 'revoked') dispatchEvent(new CustomEvent(SESSION_ENDED));
          },
        });
        stream.current.open();
      })
      .catch((err: unknown) => setStatus({ status: 'down', detail: String(err) }));
    return () => {
      closed = true;
      stream.current?.close();
    };
  }, [client]);

  return { calls, ...status };
}
