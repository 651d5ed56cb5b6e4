// Test helpers for other projects' end-to-end suites; never imported by production code.
export { RtpProbe, buildRtp, parseRtp, type RtpDestination, type RtpPacketInfo, type RtpSendOptions } from './rtp-probe';
export * from './sipp';
export * from './push';
export { parseWav, readWav, soundMs, type WavContent } from './wav-reader';
