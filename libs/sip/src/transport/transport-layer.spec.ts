import { createTransportLayer } from './transport-layer';
import { LOCAL, optionsRequest, portOf, startLayer } from './transport.test-helpers';

describe('createTransportLayer', () => {
  it('rejects invalid options with bad_config', async () => {
    await expect(createTransportLayer({})).rejects.toMatchObject({ code: 'bad_config' });
    await expect(createTransportLayer({ udp: { host: LOCAL, port: 70_000 } })).rejects.toMatchObject({ code: 'bad_config' });
    await expect(createTransportLayer({ ws: { host: LOCAL, port: 0, path: 'no-slash' } })).rejects.toMatchObject({ code: 'bad_config' });
  });

  it('reports what it listens on, its Via sent-by and reliability', async () => {
    const layer = await createTransportLayer({ udp: { host: LOCAL, port: 0, advertisedHost: 'sip.example.com' }, tcp: { host: LOCAL, port: 0 } });
    try {
      const listening = layer.listening();
      expect(listening.map((l) => l.protocol)).toEqual(['udp', 'tcp']);
      expect(layer.sentBy('udp')).toEqual({ host: 'sip.example.com', port: listening[0].port, protocol: 'udp' });
      expect(layer.sentBy('tcp')).toEqual({ host: LOCAL, port: listening[1].port, protocol: 'tcp' });
      expect(() => layer.sentBy('ws')).toThrow(expect.objectContaining({ code: 'unsupported_protocol' }));
      expect(layer.isReliable('udp')).toBe(false);
      expect(layer.isReliable('tcp')).toBe(true);
      await expect(layer.send(optionsRequest({ protocol: 'tls', targetPort: 5061 }), { protocol: 'tls', host: LOCAL, port: 5061 })).rejects.toMatchObject({ code: 'unsupported_protocol' });
    } finally {
      await layer.close();
    }
    expect(layer.listening()).toEqual([]);
    expect(() => layer.sentBy('udp')).toThrow(expect.objectContaining({ code: 'unsupported_protocol' }));
  });

  it('hands out a sent-by a caller may change without changing the next one', async () => {
    const layer = await createTransportLayer({ udp: { host: LOCAL, port: 0 } });
    try {
      const first = layer.sentBy('udp');
      first.host = 'changed.example.com';
      expect(layer.sentBy('udp')).toEqual({ host: LOCAL, port: layer.listening()[0].port, protocol: 'udp' });
    } finally {
      await layer.close();
    }
  });

  it('fails to start when a port is taken and releases what it had bound', async () => {
    const holder = await startLayer(['tcp']);
    try {
      await expect(createTransportLayer({ udp: { host: LOCAL, port: 0 }, tcp: { host: LOCAL, port: portOf(holder, 'tcp') } })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await holder.close();
    }
  });
});
