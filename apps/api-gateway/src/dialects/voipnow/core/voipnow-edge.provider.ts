import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountDialectEdge } from '../../../core/dialect-edge';
import { VOIPNOW_MOUNTS } from './voipnow-body';
import { VoipnowExceptionFilter, type JsonResponse } from './voipnow-exception.filter';

/** Unknown routes and unreadable bodies below /uapi and /oauth, in VoipNow's error shape. */
@Injectable()
export class VoipnowEdge implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly filter: VoipnowExceptionFilter,
  ) {}

  onModuleInit(): void {
    for (const mount of VOIPNOW_MOUNTS) mountDialectEdge(this.host, mount, (err, _req, res) => this.filter.answer(err, res as unknown as JsonResponse));
  }
}
