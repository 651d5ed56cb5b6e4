// Hostile requests generated from the gateway's OpenAPI document: every operation gets invalid bodies and path params.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  example?: unknown;
  minLength?: number;
}

export interface FuzzOperation {
  method: string;
  /** The path template, `/v2/accounts/{accountId}`. */
  template: string;
  schema?: JsonSchema;
}

export interface FuzzCase {
  name: string;
  /** Replaces the valid values of the path params when set. */
  pathParam?: string;
  contentType?: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

export function operationsOf(doc: OpenApiDoc): FuzzOperation[] {
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => {
        const content = op.requestBody?.content ?? {};
        const schema = content['application/json']?.schema ?? Object.values(content)[0]?.schema;
        return { method: method.toUpperCase(), template, ...(schema !== undefined ? { schema } : {}) };
      }),
  );
}

const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? s.type[0] : s.type) ?? (s.properties ? 'object' : s.enum ? 'enum' : s.oneOf || s.anyOf ? 'union' : 'any');

/** A value the schema accepts as well as we can tell: what the fuzz then breaks one place at a time. */
export function sample(s: JsonSchema, depth = 0): unknown {
  if (s.example !== undefined) return s.example;
  if (s.enum !== undefined) return s.enum[0];
  const union = s.oneOf ?? s.anyOf;
  if (union !== undefined && union.length > 0) return sample(union[0], depth);
  switch (typeOf(s)) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).filter(([k]) => depth < 4 && (s.required ?? []).includes(k)).map(([k, v]) => [k, sample(v, depth + 1)]));
    case 'array':
      return s.items !== undefined && depth < 4 ? [sample(s.items, depth + 1)] : [];
    case 'string':
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return 'x';
  }
}

/** Wrong-typed values for a property of this schema: never what it asks for. */
function wrongValues(s: JsonSchema): unknown[] {
  const all: Record<string, unknown> = { string: 'not-what-you-want', number: -1.5e308, boolean: false, array: [[], {}], object: { nested: { deeper: [] } }, null: null };
  const own = typeOf(s);
  const wrong = Object.entries(all).filter(([t]) => t !== own && !(own === 'integer' && t === 'number')).map(([, v]) => v);
  if (own === 'integer' || own === 'number') wrong.push(Number.MAX_SAFE_INTEGER * 4, 1.5, '1e999');
  // long enough to test every length check, short enough to pass the 100 kB body limit and reach them
  if (own === 'string' || own === 'enum') wrong.push('', 'x'.repeat(60_000), 'a\u0000b', '\ud800');
  return wrong;
}

/** Every property path of the schema with its own schema, to a depth of 4. */
function properties(s: JsonSchema, path: string[] = []): Array<{ path: string[]; schema: JsonSchema }> {
  if (path.length >= 4) return [];
  return Object.entries(s.properties ?? {}).flatMap(([k, v]) => [{ path: [...path, k], schema: v }, ...properties(v, [...path, k])]);
}

function withValue(base: unknown, path: string[], value: unknown): unknown {
  const root = structuredClone(base) as Record<string, unknown>;
  let at: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null || Array.isArray(at[key])) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return root;
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

/** Cases built from the operation's body schema: wrong types per property, each required one missing. */
function schemaCases(schema: JsonSchema): FuzzCase[] {
  const base = sample(schema);
  const cases: FuzzCase[] = [{ name: 'schema sample + huge extra string', body: json({ ...(base as object), fuzz_extra: 'x'.repeat(60_000) }) }];
  for (const { path, schema: prop } of properties(schema)) {
    wrongValues(prop).forEach((value, i) => cases.push({ name: `${path.join('.')}: wrong value #${i}`, body: json(withValue(base, path, value)) }));
  }
  const required = (s: JsonSchema, path: string[] = []): string[][] =>
    (s.required ?? []).flatMap((k) => [[...path, k], ...(s.properties?.[k] ? required(s.properties[k], [...path, k]) : [])]);
  for (const path of required(schema)) cases.push({ name: `${path.join('.')}: missing`, body: json(withValue(base, path, undefined)) });
  return cases;
}

const deep = (n: number): string => '['.repeat(n) + ']'.repeat(n);

/** What every operation gets whatever its schema: unreadable, wrong and oversized bodies. */
export const GENERIC_BODIES: FuzzCase[] = [
  { name: 'truncated JSON', body: Buffer.from('{"data": ') },
  { name: 'JSON null', body: Buffer.from('null') },
  { name: 'JSON array', body: Buffer.from('[1,2,3]') },
  { name: 'JSON string', body: Buffer.from('"just a string"') },
  { name: 'JSON number', body: Buffer.from('1e999') },
  { name: 'empty body', body: Buffer.alloc(0) },
  { name: 'data is a string', body: json({ data: 'x' }) },
  { name: 'data is an array', body: json({ data: [null, 1, 'x'] }) },
  { name: 'deep nesting (10,000)', body: Buffer.from(`{"data":${deep(10_000)}}`) },
  { name: 'deep objects (200)', body: Buffer.from(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) },
  { name: 'non-UTF-8 bytes in a string', body: Buffer.concat([Buffer.from('{"data":{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}}')]) },
  { name: 'UTF-16 body', body: Buffer.from('{"data":{}}', 'utf16le') },
  { name: 'BOM then JSON', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ data: {} })]) },
  { name: 'NUL bytes', body: Buffer.from('{"data":\u0000{}}') },
  { name: 'prototype pollution keys', body: Buffer.from('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"data":{"__proto__":{"x":1}}}') },
  { name: 'duplicate keys', body: Buffer.from('{"data":{},"data":"x","data":[]}') },
  { name: 'many keys', body: json({ data: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])) }) },
  { name: 'oversized (256 kB, over the 100 kB limit)', body: json({ data: { blob: 'x'.repeat(256 * 1024) } }) },
  { name: 'text/plain garbage', contentType: 'text/plain', body: Buffer.from('hello=world&&&') },
  { name: 'XML', contentType: 'application/xml', body: Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>') },
  { name: 'form with JSON-looking keys', contentType: 'application/x-www-form-urlencoded', body: Buffer.from('data[__proto__][x]=1&data=%ff%fe&a=b') },
  { name: 'multipart junk', contentType: 'multipart/form-data; boundary=zz', body: Buffer.from('--zz\r\nContent-Disposition: form-data; name="data"\r\n\r\n{}\r\n--zz') },
  { name: 'JSON with a charset the body is not in', contentType: 'application/json; charset=utf-16', body: json({ data: {} }) },
  { name: 'JSON with an unknown charset', contentType: 'application/json; charset=x-klingon', body: json({ data: {} }) },
  { name: 'gzip claimed, plain sent', headers: { 'content-encoding': 'gzip' }, body: json({ data: {} }) },
  { name: 'unknown content-encoding', headers: { 'content-encoding': 'x-squash' }, body: json({ data: {} }) },
];

/** Path param values no route may choke on. */
export const HOSTILE_PATH_PARAMS: Array<{ name: string; value: string }> = [
  { name: 'encoded dots', value: '%2e%2e' },
  { name: 'encoded traversal', value: '..%2f..%2f..%2fetc%2fpasswd' },
  { name: 'double-encoded traversal', value: '%252e%252e%252f' },
  { name: 'NUL', value: 'abc%00def' },
  { name: 'bare %', value: '%' },
  { name: 'bad percent-encoding', value: '%zz%e0%a4' },
  { name: 'non-UTF-8 percent-encoding', value: '%ff%fe%c3%28' },
  { name: '10 kB id', value: 'a'.repeat(10_240) },
  { name: 'unicode', value: encodeURIComponent('☎👋\u202e') },
  { name: 'encoded slash', value: 'a%2Fb' },
  { name: 'CRLF', value: 'x%0d%0aX-Injected:%20yes' },
  { name: 'quotes and braces', value: encodeURIComponent(`'"{}$[]`) },
];

/** Every case for one operation: generic bodies (non-GET), schema-driven ones, and hostile path params. */
export function casesFor(op: FuzzOperation): FuzzCase[] {
  const cases: FuzzCase[] = [];
  if (op.template.includes('{')) for (const p of HOSTILE_PATH_PARAMS) cases.push({ name: `path param: ${p.name}`, pathParam: p.value });
  if (op.method === 'GET') return [...cases, { name: 'GET with a junk body', body: Buffer.from('{"includeDetails": "yes"') }];
  cases.push(...GENERIC_BODIES);
  if (op.schema !== undefined) cases.push(...schemaCases(op.schema));
  return cases;
}
