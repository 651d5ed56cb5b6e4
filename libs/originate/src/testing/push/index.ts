export { LocalApns, type ApnsPush, type LocalApnsOptions } from './apns-server';
export { LocalFcm, type LocalFcmOptions } from './fcm-server';
export { LocalPushGateway, type GatewayPush } from './push-gateway';
export { verifyJwt, type DecodedJwt } from './jwt-verify';
