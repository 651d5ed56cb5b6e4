export * from './originate.intake';
export { forwardDecision, forwardTarget, type ForwardDecision, type ForwardLookup } from './forward.target';
export { InFlightLimiter } from './in-flight.limiter';
export { IntakeError, type IntakeErrorCode } from './intake.errors';
export { InvalidRequestReporter, publishableRequest, type InvalidRequestReporterOptions } from './invalid-request.reporter';
export { OriginateExecuteGate, executeQueueOf, type OriginateExecuteGateOptions } from './originate-execute.gate';
export { resolveAccount, type AccountResolution, type AccountsByRealm } from './account-resolution';
