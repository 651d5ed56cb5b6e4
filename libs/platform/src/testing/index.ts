export * from './app-shell.suite';
export * from './scratch-infra';
