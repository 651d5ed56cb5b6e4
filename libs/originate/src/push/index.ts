export * from './push.types';
export { PushSenders } from './senders/push-senders';
export { HttpGatewaySender, type HttpGatewayOptions } from './senders/http-gateway.sender';
export { ApnsSender, apnsTopic, type ApnsOptions } from './senders/apns.sender';
export { FcmSender, type FcmOptions, type FcmServiceAccount } from './senders/fcm.sender';
export { signJwt } from './senders/jwt';
