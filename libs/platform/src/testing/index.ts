export * from './app-shell.suite';
