import type { InfrastructureMode } from '@legwork/platform';

export interface BannerInput {
  mode: InfrastructureMode;
  nodeId: string;
  apps: ReadonlyArray<{ name: string; url: string; details?: readonly string[] }>;
  /** Already redacted URLs, shown in distributed mode. */
  amqpUrl?: string;
  redisUrl?: string;
}

const MODE_TEXT: Record<InfrastructureMode, string> = {
  embedded: 'embedded: in-process bus and store, nothing persisted; media bypass by default',
  distributed: 'distributed: RabbitMQ bus, Redis store',
};

/** Human-readable start-up summary printed next to the JSON logs. */
export function formatBanner(input: BannerInput): string {
  const width = Math.max(...input.apps.map((a) => a.name.length));
  const lines = [
    '',
    `Legwork is running (node ${input.nodeId})`,
    `  mode: ${MODE_TEXT[input.mode]}`,
  ];
  if (input.mode === 'distributed') lines.push(`  amqp: ${input.amqpUrl ?? '-'}`, `  redis: ${input.redisUrl ?? '-'}`);
  for (const app of input.apps) {
    lines.push(`  ${app.name.padEnd(width)}  ${app.url}  health: ${app.url}/healthz`);
    for (const detail of app.details ?? []) lines.push(`  ${''.padEnd(width)}  ${detail}`);
  }
  lines.push('Press Ctrl+C to stop.', '');
  return lines.join('\n');
}
