import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppLogger } from './logger';
import { NestPinoLogger } from './nest-logger.adapter';
import type { Infrastructure } from './infrastructure';

/** What every app's bootstrap receives: config read once, shared infrastructure, its logger. */
export interface AppContext<C> {
  config: C;
  infra: Infrastructure;
  logger: AppLogger;
}

export interface AppHandle {
  readonly name: string;
  /** Base URL the app's HTTP server listens on (actual port, even when 0 was asked). */
  readonly url: string;
  /** Other endpoints worth showing a person at start (e.g. SIP listeners, API docs). */
  readonly details?: readonly string[];
  /** Stops the HTTP server and runs Nest's shutdown hooks; later calls return the same promise. */
  close(): Promise<void>;
}

export interface RunAppOptions {
  name: string;
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  logger: AppLogger;
  /** Runs before the app listens: routes that must exist at start (e.g. OpenAPI) are added here. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

function formatUrl(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

/**
 * Creates and starts one Nest app. Signals are handled once per process by
 * runProcess (apps close before the shared infrastructure), so Nest's own
 * signal listeners are not installed; its shutdown hooks still run on close().
 */
export async function runApp(options: RunAppOptions): Promise<AppHandle> {
  const app = await NestFactory.create(options.module, {
    logger: new NestPinoLogger(options.logger),
    abortOnError: false,
  });
  try {
    await options.configure?.(app);
    await app.listen(options.port, options.host);
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const url = formatUrl(options.host, address.port);
  let closing: Promise<void> | undefined;
  return {
    name: options.name,
    url,
    close() {
      closing ??= app.close();
      return closing;
    },
  };
}
