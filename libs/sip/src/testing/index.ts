export * from './sipp-process';
export * from './sip-mutator';
