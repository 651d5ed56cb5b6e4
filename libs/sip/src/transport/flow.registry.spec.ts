import { FlowRegistry, type SipFlow } from './flow.registry';

function flow(registry: FlowRegistry, remotePort: number): SipFlow {
  return { id: registry.newId(), protocol: 'tcp', remoteAddress: '192.0.2.1', remotePort, localAddress: '127.0.0.1', localPort: 5060, write: () => Promise.resolve(), close: () => undefined };
}

describe('FlowRegistry', () => {
  it('issues distinct unguessable tokens', () => {
    const registry = new FlowRegistry();
    const ids = new Set(Array.from({ length: 1000 }, () => registry.newId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('finds flows by token and by remote address, and forgets them on removal', () => {
    const registry = new FlowRegistry();
    const a = flow(registry, 1000);
    const b = flow(registry, 2000);
    registry.add(a);
    registry.add(b);
    expect(registry.get(a.id)).toBe(a);
    expect(registry.findByRemote('tcp', '192.0.2.1', 2000)).toBe(b);
    expect(registry.findByRemote('tls', '192.0.2.1', 2000)).toBeUndefined();
    const closed: string[] = [];
    registry.onClosed((id) => closed.push(id));
    registry.remove(a.id);
    registry.remove(a.id);
    expect(closed).toEqual([a.id]);
    expect(registry.get(a.id)).toBeUndefined();
    expect(registry.findByRemote('tcp', '192.0.2.1', 1000)).toBeUndefined();
    expect(registry.size).toBe(1);
  });

  it('keeps the newer flow for reuse when an older one to the same remote closes', () => {
    const registry = new FlowRegistry();
    const older = flow(registry, 3000);
    const newer = flow(registry, 3000);
    registry.add(older);
    registry.add(newer);
    registry.remove(older.id);
    expect(registry.findByRemote('tcp', '192.0.2.1', 3000)).toBe(newer);
  });
});
