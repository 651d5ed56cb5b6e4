// sipp phones and carriers on 127.0.0.1 for end-to-end suites of any project.
export { freePort, killAllSipp, runSipp } from '@legwork/sip/testing';
export { SippPeer, type SippPeerOptions } from './sipp-peer';
export { SippCarrierCall, type CarrierCallOptions } from './sipp-carrier-call';
export {
  SIPP_SCENARIOS, SippCarrier, SippPhone,
  type CarrierBehaviour, type PhoneBehaviour, type PhoneOptions, type SdpTarget,
} from './sipp-peers';
export { header, parseSippLog, receivedRequests, receivedTransactions, sdpAudio, sentResponses, type LoggedSipMessage } from './sip-message-log';
