import { Inject, Injectable } from '@nestjs/common';
import type { AppContext } from '@legwork/platform';
import type { Directory } from '@legwork/directory';
import { API_GATEWAY_CONTEXT } from '../../../api-gateway.context';

/** The app's directory, the one store provisioning reads and writes. */
@Injectable()
export class ProvisioningDirectory {
  readonly directory: Directory;

  constructor(@Inject(API_GATEWAY_CONTEXT) ctx: AppContext<unknown>) {
    this.directory = ctx.infra.directory;
  }
}
