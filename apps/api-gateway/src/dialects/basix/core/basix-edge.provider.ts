import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountDialectEdge } from '../../../core/dialect-edge';
import type { JsonResponse } from '../../../core/json-response';
import { BasixExceptionFilter } from './basix-exception.filter';

/** Where the dialect is mounted. */
export const BASIX_PREFIX = '/basix';

/** Unknown methods and unreadable bodies below /basix, answered in Basix's error shape. */
@Injectable()
export class BasixEdge implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly filter: BasixExceptionFilter,
  ) {}

  onModuleInit(): void {
    mountDialectEdge(this.host, BASIX_PREFIX, (err, _req, res) => this.filter.answer(err, res as unknown as JsonResponse));
  }
}
