import { LegworkError } from '@legwork/common';

/** rtpengine_unavailable: no reply in time / client closed / too busy; rtpengine_error: the daemon said result=error. */
export type RtpengineErrorCode = 'rtpengine_unavailable' | 'rtpengine_error' | 'rtpengine_bad_reply' | 'rtpengine_config';

export class RtpengineError extends LegworkError<RtpengineErrorCode> {}
