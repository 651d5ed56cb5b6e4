import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Bus } from '@legwork/bus';
import type { CdrStore } from '@legwork/cdr';
import type { AppLogger } from '@legwork/platform';
import { CdrWriter } from './cdr.writer';
import { APP_LOGGER, BUS, CDR_STORE } from './infra.tokens';

/** Runs the CDR writer for as long as the app serves, whichever dialects it has. */
@Injectable()
export class CdrWriterProvider implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly writer: CdrWriter;

  constructor(@Inject(BUS) bus: Bus, @Inject(CDR_STORE) store: CdrStore, @Inject(APP_LOGGER) logger: AppLogger) {
    this.writer = new CdrWriter({ bus, store, logger });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.writer.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.writer.stop();
  }
}
