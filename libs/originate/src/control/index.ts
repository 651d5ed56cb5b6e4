export * from './call-control.consumer';
export * from './command.types';
export { defaultCommandRegistry, type CommandRegistry } from './command.registry';
export { hangupCommand } from './hangup.command';
export { notSupportedCommand } from './not-supported.command';
export { StoreCallLocator } from './call-locator';
export { blindTransferCommand, holdCommand, reconnectCommand, unholdCommand } from './leg-control.command';
