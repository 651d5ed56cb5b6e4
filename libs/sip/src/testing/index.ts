export * from './sipp-process';
