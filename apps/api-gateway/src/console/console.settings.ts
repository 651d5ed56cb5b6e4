import { consoleCsp } from './console-headers';

export const CONSOLE_SETTINGS = Symbol('CONSOLE_SETTINGS');

/** Where the page opens the event stream: a full URL, or a port on the page's own host. */
export type ConsoleEvents = { url: string } | { port: number; path: string };

export interface ConsoleSettings {
  events: ConsoleEvents;
  /** Where the softphone opens its SIP WebSocket, in the same shape. */
  sip: ConsoleEvents;
  csp: string;
}

export interface ConsoleSocketsConfig {
  CONSOLE_EVENTS_URL?: string;
  CONSOLE_EVENTS_PORT: number;
  CONSOLE_SIP_URL?: string;
  CONSOLE_SIP_PORT: number;
}

const socketAt = (url: string | undefined, port: number, path: string): ConsoleEvents => (url !== undefined ? { url } : { port, path });

export function consoleSettings(config: ConsoleSocketsConfig): ConsoleSettings {
  return {
    events: socketAt(config.CONSOLE_EVENTS_URL, config.CONSOLE_EVENTS_PORT, '/websocket'),
    sip: socketAt(config.CONSOLE_SIP_URL, config.CONSOLE_SIP_PORT, '/'),
    csp: consoleCsp([
      { url: config.CONSOLE_EVENTS_URL, port: config.CONSOLE_EVENTS_PORT },
      { url: config.CONSOLE_SIP_URL, port: config.CONSOLE_SIP_PORT },
    ]),
  };
}
