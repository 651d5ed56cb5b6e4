import { MEDIA_PROCESS_INFO } from '@legwork/call-state';
import { defaultMediaOf } from './quickcall-media';

const node = (nodeId: string, info: Record<string, string>) => ({ nodeId, info: { app: 'media-node', ...info } });

describe('defaultMediaOf', () => {
  it('is process when every live media node advertises media_process', () => {
    expect(defaultMediaOf([node('m1', { [MEDIA_PROCESS_INFO]: 'true' }), node('m2', { [MEDIA_PROCESS_INFO]: 'true' })])).toBe('process');
  });

  it('is bypass when one media node has no rtpengine (a request may land on any of them)', () => {
    expect(defaultMediaOf([node('m1', { [MEDIA_PROCESS_INFO]: 'false' })])).toBe('bypass');
    expect(defaultMediaOf([node('m1', { [MEDIA_PROCESS_INFO]: 'true' }), node('m2', {})])).toBe('bypass');
  });

  it("keeps Kazoo's process when no media node is registered, and ignores other apps' entries", () => {
    expect(defaultMediaOf([])).toBe('process');
    expect(defaultMediaOf([{ nodeId: 'gw', info: { app: 'api-gateway' } }])).toBe('process');
  });
});
