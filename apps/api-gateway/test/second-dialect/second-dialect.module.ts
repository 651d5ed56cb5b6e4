import { Module } from '@nestjs/common';
import { SecondEdge } from './core/second-edge.provider';
import { SecondErrorFilter } from './core/second-error.filter';
import { EchoController } from './echo/echo.controller';

/** A dialect that exists only in tests: the shape of dialects/<name>/ with one resource, mounted beside Kazoo. */
@Module({ controllers: [EchoController], providers: [SecondErrorFilter, SecondEdge] })
export class SecondDialectModule {}
