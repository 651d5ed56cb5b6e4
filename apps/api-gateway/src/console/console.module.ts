import { Module, type DynamicModule } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { ConsoleFiles } from './console-files.service';
import { CONSOLE_SETTINGS, consoleSettings } from './console.settings';

export interface ConsoleModuleConfig {
  CONSOLE_ENABLED: boolean;
  CONSOLE_DIR: string;
  CONSOLE_EVENTS_URL?: string;
  CONSOLE_EVENTS_PORT: number;
}

/** The web console at /console (apps/console, built by `npm run build`); nothing when CONSOLE_ENABLED is false. */
@Module({})
export class ConsoleModule {
  static forRoot(config: ConsoleModuleConfig): DynamicModule {
    if (!config.CONSOLE_ENABLED) return { module: ConsoleModule };
    return {
      module: ConsoleModule,
      controllers: [ConsoleController],
      providers: [
        { provide: ConsoleFiles, useValue: new ConsoleFiles(config.CONSOLE_DIR) },
        { provide: CONSOLE_SETTINGS, useValue: consoleSettings(config) },
      ],
    };
  }
}
