import { LegworkError } from '@legwork/common';

export type BusErrorCode =
  | 'bus_unavailable'
  | 'bus_nack'
  | 'bus_unroutable'
  | 'bus_timeout'
  | 'bus_closed'
  | 'bus_invalid_config'
  | 'bus_invalid_message'
  | 'bus_unknown_exchange'
  | 'bus_topology'
  | 'bus_legacy_exchanges';

export class BusError extends LegworkError<BusErrorCode> {}

export function isBusError(err: unknown, code?: BusErrorCode): err is BusError {
  return err instanceof BusError && (code === undefined || err.code === code);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
