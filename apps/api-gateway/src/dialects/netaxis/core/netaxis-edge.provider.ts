import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountDialectEdge } from '../../../core/dialect-edge';
import type { JsonResponse } from '../../../core/json-response';
import { NETAXIS_MOUNT } from './netaxis.contract';
import { NetaxisExceptionFilter } from './netaxis-exception.filter';

/** Unknown routes and unreadable bodies below /api/v1, in the Netaxis error shape. */
@Injectable()
export class NetaxisEdge implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly filter: NetaxisExceptionFilter,
  ) {}

  onModuleInit(): void {
    mountDialectEdge(this.host, NETAXIS_MOUNT, (err, _req, res) => this.filter.answer(err, res as unknown as JsonResponse));
  }
}
