import type { AnyMessageDefinition } from './define-message';
import { bindingRegistered } from './binding-registered.contract';
import { callCommand } from './call-command.contract';
import { callCommandResult } from './call-command-result.contract';
import { callCommandError } from './call-command-error.contract';
import { callEvents } from './events/call-events';
import { originateError } from './originate-error.contract';
import { originateExecute } from './originate-execute.contract';
import { originateReady } from './originate-ready.contract';
import { originateRequest } from './originate-request.contract';
import { originateResponse } from './originate-response.contract';
import { originateStarted } from './originate-started.contract';
import { originateUuid } from './originate-uuid.contract';
import { pushRequest } from './push-request.contract';
import { pushResponse } from './push-response.contract';
import { webhookDisabled } from './webhook-disabled.contract';

/** Every message Legwork puts on or takes off the bus; the bus validates against these at the edge. */
export const messages: readonly AnyMessageDefinition[] = Object.freeze([
  originateRequest,
  originateUuid,
  originateStarted,
  originateResponse,
  originateError,
  originateReady,
  originateExecute,
  ...Object.values(callEvents),
  callCommand,
  callCommandResult,
  callCommandError,
  webhookDisabled,
  bindingRegistered,
  pushRequest,
  pushResponse,
]);

const byEnvelope = new Map(messages.map((def) => [`${def.category}/${def.eventName}`, def]));
const byName = new Map(messages.map((def) => [def.name, def]));

/** The definition for an envelope's Event-Category/Event-Name pair. */
export function findMessage(category: string, eventName: string): AnyMessageDefinition | undefined {
  return byEnvelope.get(`${category}/${eventName}`);
}

export function messageByName(name: string): AnyMessageDefinition | undefined {
  return byName.get(name);
}

/** Identifies a decoded bus body by its envelope, without validating the rest. */
export function identifyMessage(raw: unknown): AnyMessageDefinition | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const env = raw as Record<string, unknown>;
  const category = env['Event-Category'];
  const name = env['Event-Name'];
  return typeof category === 'string' && typeof name === 'string' ? findMessage(category, name) : undefined;
}
