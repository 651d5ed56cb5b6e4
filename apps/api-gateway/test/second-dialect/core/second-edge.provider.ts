import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { mountDialectEdge } from '../../../src/core/dialect-edge';
import { SecondErrorFilter } from './second-error.filter';
import { SECOND_PREFIX } from './second.contract';

/** Unknown routes and unreadable bodies below /second, in the dialect's shape. */
@Injectable()
export class SecondEdge implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly filter: SecondErrorFilter,
  ) {}

  onModuleInit(): void {
    mountDialectEdge(this.host, SECOND_PREFIX, (err, _req, res) => this.filter.answer(err, res as unknown as Parameters<SecondErrorFilter['answer']>[1]));
  }
}
