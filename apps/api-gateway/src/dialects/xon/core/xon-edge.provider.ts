import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountDialectEdge } from '../../../core/dialect-edge';
import { XonExceptionFilter, type XonResponse } from './xon-exception.filter';

/** Where the dialect is mounted (the seed's paths). */
export const XON_PREFIX = '/v1';

/** Unknown routes and unreadable bodies below /v1, answered in X-on's error shape. */
@Injectable()
export class XonEdge implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly filter: XonExceptionFilter,
  ) {}

  onModuleInit(): void {
    mountDialectEdge(this.host, XON_PREFIX, (err, _req, res) => this.filter.answer(err, res as unknown as XonResponse));
  }
}
