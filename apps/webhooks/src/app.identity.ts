/** This app's name and version, defined once: App-Name and App-Version of what it publishes, its logs, metrics and queues. */
export const APP_NAME = 'webhooks';
export const APP_VERSION = '0.1.0';
