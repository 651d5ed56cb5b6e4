import { eventsUrl, type EventsLocation } from '../api/event-stream';

/** The SIP WebSocket /console/config.json names (a URL, or a port on the page's own host). */
export async function loadSipServer(): Promise<string> {
  const res = await fetch('/console/config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`console settings: HTTP ${res.status}`);
  const sip = ((await res.json()) as { sip?: EventsLocation }).sip;
  if (sip === undefined) throw new Error('console settings name no SIP WebSocket');
  return eventsUrl(sip);
}
