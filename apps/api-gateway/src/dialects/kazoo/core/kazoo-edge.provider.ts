import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountDialectEdge } from '../../../core/dialect-edge';
import { KAZOO_PREFIX, type KazooRequest } from './kazoo.contract';
import { KazooExceptionFilter, type JsonResponse } from './kazoo-exception.filter';

/** Unknown routes and unreadable bodies below /v2 answered in Kazoo's error shape, as Kazoo's own routes answer. */
@Injectable()
export class KazooEdge implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly filter: KazooExceptionFilter,
  ) {}

  onModuleInit(): void {
    mountDialectEdge(this.host, KAZOO_PREFIX, (err, req, res) => this.filter.answer(err, req as KazooRequest, res as unknown as JsonResponse));
  }
}
