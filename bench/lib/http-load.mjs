/* global fetch */
// What the REST benches share: a Kazoo REST client, a call-event watcher and the closed-loop load phase.
import { performance } from 'node:perf_hooks';
import amqplib from 'amqplib';
import { AMQP_URL } from './env.mjs';
import { callEventQueue } from './scratch.mjs';

/** Kazoo REST (`{data}` bodies, X-Auth-Token). */
export class Rest {
  constructor(base, token) {
    Object.assign(this, { base, token });
  }

  async call(method, path, data) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.token ? { 'x-auth-token': this.token } : {}) },
      body: data === undefined ? undefined : JSON.stringify({ data }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }

  async create(path, data) {
    const res = await this.call('PUT', path, data);
    if (res.status !== 201) throw new Error(`PUT ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }
}

/** Call ids that bridged or failed, from our own queue on the call-event exchange. */
export async function watchCalls(ns) {
  const conn = await amqplib.connect(AMQP_URL);
  const ch = await conn.createChannel();
  const q = await callEventQueue(ch, ns, ['CHANNEL_BRIDGE', 'originate_failed']);
  const bridged = new Set();
  const failed = new Map();
  await ch.consume(q, (m) => {
    const e = JSON.parse(m.content.toString());
    if (e['Event-Name'] === 'CHANNEL_BRIDGE') bridged.add(e['Call-ID']);
    else failed.set(e['Call-ID'], String(e['Error-Message'] ?? 'originate_failed'));
  }, { noAck: true });
  return { bridged, failed, close: () => conn.close().catch(() => undefined) };
}

/**
 * `concurrency` workers calling `attempt(i)` back to back for `seconds`, each answer timed; `attempt`
 * resolves to what the bench records of one request (`{status, error?, …ids}`), and a throw is recorded as
 * `onError(err)`.
 */
export async function closedLoop(concurrency, seconds, attempt, onError) {
  const results = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < end) {
      const i = n++;
      const started = performance.now();
      let outcome;
      try {
        outcome = await attempt(i);
      } catch (err) {
        outcome = onError(err);
      }
      results.push({ ms: performance.now() - started, ...outcome });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { results, wallSeconds: (performance.now() - t0) / 1000 };
}
