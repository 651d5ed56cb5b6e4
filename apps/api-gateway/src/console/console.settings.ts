import { consoleCsp } from './console-headers';

export const CONSOLE_SETTINGS = Symbol('CONSOLE_SETTINGS');

/** Where the page opens the event stream: a full URL, or a port on the page's own host. */
export type ConsoleEvents = { url: string } | { port: number; path: string };

export interface ConsoleSettings {
  events: ConsoleEvents;
  csp: string;
}

export function consoleSettings(config: { CONSOLE_EVENTS_URL?: string; CONSOLE_EVENTS_PORT: number }): ConsoleSettings {
  const events: ConsoleEvents = config.CONSOLE_EVENTS_URL !== undefined ? { url: config.CONSOLE_EVENTS_URL } : { port: config.CONSOLE_EVENTS_PORT, path: '/websocket' };
  return { events, csp: consoleCsp({ url: config.CONSOLE_EVENTS_URL, port: config.CONSOLE_EVENTS_PORT }) };
}
