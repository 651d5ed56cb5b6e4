import { DialectController } from '../../../src/core/dialect-controller.decorator';
import { SecondErrorFilter } from './second-error.filter';
import { SecondKeyGuard } from './second-key.guard';

/** Every controller of the second dialect: its guard and its error shape, nothing else. */
export const SecondController = (path: string): ClassDecorator => DialectController('second', path, { guards: [SecondKeyGuard], filters: [SecondErrorFilter] });
