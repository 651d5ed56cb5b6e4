import { Inject, Injectable } from '@nestjs/common';
import type { Directory } from '@legwork/directory';
import { DIRECTORY } from '../../../core/infra.tokens';

/** The app's directory, the one store provisioning reads and writes. */
@Injectable()
export class ProvisioningDirectory {
  constructor(@Inject(DIRECTORY) readonly directory: Directory) {}
}
