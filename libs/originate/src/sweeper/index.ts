export * from './node-sweeper';
