import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.error';

/** Fields marked secret are shown as *** whenever the config is logged. */
const secretFields = new WeakSet<z.ZodType>();
const loadedSecrets = new WeakMap<object, ReadonlySet<string>>();

/** Marks a config field as secret (wrap the whole field, optional/default included). */
export function secret<T extends z.ZodType>(schema: T): T {
  secretFields.add(schema);
  return schema;
}

function isSecret(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  while (current) {
    if (secretFields.has(current)) return true;
    const def = current.def as { innerType?: z.ZodType };
    current = def.innerType;
  }
  return false;
}

export type EnvSchema = z.ZodObject<z.ZodRawShape>;
/** Frozen at runtime: config is read once at boot and never changes. */
export type Config<S extends EnvSchema> = z.output<S>;

/**
 * Validates the environment once at boot. Empty variables count as unset, so
 * `AMQP_URL=` means "not configured" rather than "invalid URL".
 */
export function loadConfig<S extends EnvSchema>(schema: S, env: NodeJS.ProcessEnv = process.env): Config<S> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') input[key] = value;
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues: ConfigIssue[] = parsed.error.issues.map((issue) => ({
      variable: issue.path.map(String).join('.') || '(environment)',
      message: issue.message,
    }));
    throw ConfigError.fromIssues(issues);
  }
  const config = Object.freeze({ ...parsed.data }) as Config<S>;
  const secrets = Object.entries(schema.shape)
    .filter(([, field]) => isSecret(field as z.ZodType))
    .map(([key]) => key);
  loadedSecrets.set(config, new Set(secrets));
  return config;
}

function redactUrlCredentials(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/** A copy safe to log: secret fields become ***, passwords inside URLs too. */
export function redactConfig(config: object): Record<string, unknown> {
  const secrets = loadedSecrets.get(config) ?? new Set<string>();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    if (secrets.has(key)) out[key] = '***';
    else if (Array.isArray(value)) out[key] = value.map((v: unknown) => (typeof v === 'string' ? redactUrlCredentials(v) : v));
    else out[key] = typeof value === 'string' ? redactUrlCredentials(value) : value;
  }
  return out;
}
