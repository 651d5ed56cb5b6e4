/** One input of a document's form, bound to a dotted path of the Kazoo document. */
export interface Field {
  path: string;
  label: string;
  type?: 'text' | 'password' | 'number' | 'checkbox' | 'select';
  options?: readonly string[];
  required?: boolean;
}

/** How the console shows one Kazoo collection under /v2/accounts/{id}/<kind>. */
export interface KindSpec {
  kind: 'users' | 'devices' | 'groups' | 'resources' | 'webhooks' | 'api_clients';
  title: string;
  noun: string;
  columns: ReadonlyArray<{ key: string; label: string }>;
  fields: readonly Field[];
  /** API clients are created and deleted, never edited. */
  editable: boolean;
  /** Secrets the create answer carries once (a webhook's signing secret, an API client's secret). */
  shownOnce?: readonly string[];
}

export const KINDS: readonly KindSpec[] = [
  {
    kind: 'users',
    title: 'Users',
    noun: 'user',
    columns: [{ key: 'first_name', label: 'First name' }, { key: 'last_name', label: 'Last name' }, { key: 'username', label: 'Username' }, { key: 'priv_level', label: 'Privilege' }, { key: 'enabled', label: 'Enabled' }],
    fields: [
      { path: 'first_name', label: 'First name', required: true },
      { path: 'last_name', label: 'Last name', required: true },
      { path: 'username', label: 'Username' },
      { path: 'password', label: 'Password (write only)', type: 'password' },
      { path: 'email', label: 'Email' },
      { path: 'priv_level', label: 'Privilege', type: 'select', options: ['user', 'admin'] },
    ],
    editable: true,
  },
  {
    kind: 'devices',
    title: 'Devices',
    noun: 'device',
    columns: [{ key: 'name', label: 'Name' }, { key: 'username', label: 'SIP user' }, { key: 'owner_id', label: 'Owner' }, { key: 'enabled', label: 'Enabled' }, { key: 'registered', label: 'Registered' }],
    fields: [
      { path: 'name', label: 'Name', required: true },
      { path: 'sip.username', label: 'SIP username', required: true },
      { path: 'sip.password', label: 'SIP password (write only)', type: 'password' },
      { path: 'owner_id', label: 'Owner (user id)' },
    ],
    editable: true,
  },
  {
    kind: 'groups',
    title: 'Groups',
    noun: 'group',
    columns: [{ key: 'name', label: 'Name' }, { key: 'strategy', label: 'Strategy' }, { key: 'extension', label: 'Extension' }, { key: 'endpoints', label: 'Members' }],
    fields: [
      { path: 'name', label: 'Name', required: true },
      { path: 'strategy', label: 'Strategy', type: 'select', options: ['simultaneous', 'single'] },
      { path: 'extension', label: 'Extension' },
    ],
    editable: true,
  },
  {
    kind: 'resources',
    title: 'Carrier resources',
    noun: 'resource',
    columns: [{ key: 'name', label: 'Name' }, { key: 'enabled', label: 'Enabled' }, { key: 'weight_cost', label: 'Weight' }],
    fields: [{ path: 'name', label: 'Name', required: true }],
    editable: true,
  },
  {
    kind: 'webhooks',
    title: 'Webhooks',
    noun: 'webhook',
    columns: [{ key: 'name', label: 'Name' }, { key: 'hook', label: 'Event' }, { key: 'uri', label: 'URI' }, { key: 'http_verb', label: 'Verb' }, { key: 'enabled', label: 'Enabled' }, { key: 'disabled_reason', label: 'Disabled because' }],
    fields: [
      { path: 'name', label: 'Name', required: true },
      { path: 'uri', label: 'URI', required: true },
      { path: 'hook', label: 'Event', type: 'select', options: ['all', 'channel_create', 'channel_answer', 'channel_bridge', 'channel_destroy', 'originate_failed', 'push_sent', 'push_failed', 'device_registered'] },
      { path: 'http_verb', label: 'Verb', type: 'select', options: ['post', 'put', 'get'] },
      { path: 'retries', label: 'Attempts', type: 'number' },
    ],
    editable: true,
    shownOnce: ['secret'],
  },
  {
    kind: 'api_clients',
    title: 'API clients',
    noun: 'API client',
    columns: [{ key: 'name', label: 'Name' }, { key: 'dialect', label: 'Dialect' }, { key: 'client_id', label: 'Client id' }, { key: 'owner_id', label: 'Owner' }],
    fields: [
      { path: 'name', label: 'Name', required: true },
      { path: 'dialect', label: 'Dialect', type: 'select', options: ['voipnow', 'basix', 'xon', 'netaxis'] },
      { path: 'owner_id', label: 'Owner (user id, empty: the organization)' },
    ],
    editable: false,
    shownOnce: ['client_id', 'client_secret'],
  },
];

export function getPath(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined), doc);
}

/** A copy of `doc` with `value` at `path` (undefined removes it). */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  const out = { ...doc };
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const inner = typeof out[head] === 'object' && out[head] !== null ? (out[head] as Record<string, unknown>) : {};
  out[head] = setPath(inner, rest.join('.'), value);
  return out;
}
