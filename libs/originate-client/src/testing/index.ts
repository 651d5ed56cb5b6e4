export * from './fake-media-responder';
