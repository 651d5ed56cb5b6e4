import { describeChannelsAndCdrs } from './channels-cdrs.suite';
import { startGateway } from './quickcall.harness';

describeChannelsAndCdrs('in-process infrastructure', () => startGateway());
