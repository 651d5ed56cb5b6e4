export * from './sdp';
export * from './sdp-codecs';
export * from './sdp-offer-answer';
export * from './sdp.errors';
