export { AnchoredCall, type AnchoredCallOptions, blackHoleAnswer, pinFirstCodec } from './anchored-call';
export { WEBRTC_BRIDGE_CODECS, isWebRtcSdp, isWebRtcTarget } from './webrtc-sides';
export { BencodeError, type NgDict, type NgValue, bdecode, bencode } from './bencode.codec';
export { createRtpengineClient } from './rtpengine-client';
export { parseRtpengineAddress, rtpengineOptionsSchema } from './rtpengine-config';
export { RtpengineError, type RtpengineErrorCode } from './rtpengine.errors';
export type { AnswerParams, DeleteParams, OfferParams, RtpengineClient, RtpengineClientOptions, SdpCommandParams, SdpReply } from './rtpengine.types';
