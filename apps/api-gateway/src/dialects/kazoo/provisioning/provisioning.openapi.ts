import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { KAZOO_SECURITY, KazooResponses, kazooSuccessSchema } from '../core/kazoo.openapi';

type Schema = Record<string, unknown>;

const str = { type: 'string' };
const bool = { type: 'boolean' };
/** Accepted on writes, never returned (stored hashed or encrypted). */
const writeOnly = { type: 'string', writeOnly: true };
const callerId = {
  type: 'object',
  properties: { internal: { type: 'object', properties: { name: str, number: str } }, external: { type: 'object', properties: { name: str, number: str } } },
};

/** Document shapes as Kazoo names them (the main fields; the directory schemas are the authority). */
export const DOCUMENT_SCHEMAS: Record<'account' | 'user' | 'device' | 'resource' | 'group' | 'api_client', Schema> = {
  account: { type: 'object', required: ['name', 'realm'], properties: { name: str, realm: { type: 'string', example: 'acme.legwork.local' }, enabled: bool, timezone: str } },
  user: {
    type: 'object',
    required: ['first_name', 'last_name'],
    properties: { first_name: str, last_name: str, username: str, password: writeOnly, email: str, caller_id: callerId, enabled: bool, priv_level: { enum: ['admin', 'user'] } },
  },
  device: {
    type: 'object',
    required: ['name', 'sip'],
    properties: { name: str, owner_id: str, enabled: bool, caller_id: callerId, sip: { type: 'object', required: ['username', 'password'], properties: { username: str, password: writeOnly, realm: str, invite_format: str } } },
  },
  resource: {
    type: 'object',
    required: ['name', 'gateways'],
    properties: {
      name: str,
      enabled: bool,
      gateways: { type: 'array', items: { type: 'object', required: ['server'], properties: { server: { type: 'string', example: 'carrier.example.com:5060' }, realm: str, username: str, password: writeOnly, enabled: bool } } },
      rules: { type: 'array', items: str, example: ['^\\+1\\d{10}$'] },
      flags: { type: 'array', items: str },
      weight_cost: { type: 'integer' },
    },
  },
  group: {
    type: 'object',
    required: ['name'],
    properties: {
      name: str,
      type: { enum: ['ring_group', 'call_center'] },
      strategy: { enum: ['simultaneous', 'single'] },
      endpoints: {
        type: 'object',
        description: 'members: user or device id → {type, weight}',
        additionalProperties: { type: 'object', required: ['type'], properties: { type: { enum: ['user', 'device'] }, weight: { type: 'integer', minimum: 1, maximum: 100 } } },
      },
      extension: str,
      dids: { type: 'array', items: str },
      label: str,
    },
  },
  api_client: {
    type: 'object',
    required: ['name', 'dialect'],
    properties: { name: str, dialect: { enum: ['voipnow', 'basix', 'xon', 'netaxis'] }, owner_id: { type: 'string', description: 'the user the app is registered to; absent: an app of the organization' } },
  },
};

const envelope = (data: Schema): Schema => ({ ...kazooSuccessSchema, properties: { ...kazooSuccessSchema.properties, data } });

export interface RouteDoc {
  summary: string;
  kind: keyof typeof DOCUMENT_SCHEMAS;
  /** Request body `{"data": <document>}` (PUT, POST, PATCH). */
  body?: 'full' | 'partial';
  list?: boolean;
  /** PUT: answers 201 Created. */
  created?: boolean;
}

/** OpenAPI for one provisioning route: auth header, Kazoo envelope in and out, the error statuses it can answer. */
export function KazooRouteDoc(doc: RouteDoc): MethodDecorator {
  const schema = DOCUMENT_SCHEMAS[doc.kind];
  const data = doc.list ? { type: 'array', items: { type: 'object' } } : { allOf: [schema, { type: 'object', properties: { id: str } }] };
  const decorators = [
    ApiOperation({ summary: doc.summary }),
    ApiSecurity(KAZOO_SECURITY),
    KazooResponses(doc.created ? 201 : 200, 'Kazoo success envelope', doc.body ? [400, 401, 403, 404, 409] : [401, 403, 404]),
    // Overrides the generic 200 with this route's own `data`.
    ApiResponse({ status: doc.created ? 201 : 200, description: 'Kazoo success envelope', schema: envelope(data) }),
  ];
  if (doc.body) {
    const bodyData = doc.body === 'partial' ? { type: 'object', description: 'JSON merge patch (RFC 7396) of the document' } : schema;
    decorators.push(
      ApiBody({ schema: { type: 'object', required: ['data'], properties: { data: bodyData } } }),
      ApiHeader({ name: 'If-Match', required: false, description: 'revision the write is based on (409 if it changed)' }),
    );
  }
  return applyDecorators(...decorators);
}
