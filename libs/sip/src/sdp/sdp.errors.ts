import { LegworkError } from '@legwork/common';

export type SdpErrorCode = 'invalid_sdp' | 'no_audio' | 'no_common_codec' | 'unknown_codec' | 'unsupported_profile';

export class SdpError extends LegworkError<SdpErrorCode> {}
