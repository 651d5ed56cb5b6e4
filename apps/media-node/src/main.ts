import { runStandaloneApp } from '@legwork/platform';
import { bootstrapMediaNode } from './bootstrap';
import { mediaNodeConfigSchema } from './media-node.config';

void runStandaloneApp({ name: 'media-node', schema: mediaNodeConfigSchema, bootstrap: bootstrapMediaNode });
