export * from './call-control.consumer';
