export { INBOUND_RING_TIMEOUT_S, InboundCalls, type InboundCallsOptions } from './inbound-call.handler';
export { InboundGate, requestedNumber, type InboundAdmission, type InboundGateOptions } from './inbound-gate';
export { InboundLeg } from './inbound-leg';
export { inboundFailureStatus } from './inbound-status';
export { inboundTargets, type InboundTargets } from './inbound-targets';
