import { Inject, Injectable } from '@nestjs/common';
import { MEDIA_PROCESS_INFO, type CallStore, type NodeInfo, type NodeRegistry } from '@legwork/call-state';
import { CALL_STORE } from '../../../core/infra.tokens';

export type QuickcallMedia = 'process' | 'bypass';

/** How long one reading of the node registry decides the default (a heartbeat interval is 5 s). */
const CACHE_MS = 1_000;

/**
 * The quickcall's `media` when the request names none: `process` (Kazoo's default) when every live media node
 * advertises `media_process` (rtpengine configured), `bypass` when one cannot (the request may land on any
 * node: they share one queue). With no node in the registry, Kazoo's `process`: nothing could serve it anyway.
 */
export function defaultMediaOf(nodes: NodeInfo[]): QuickcallMedia {
  const media = nodes.filter((n) => n.info['app'] === 'media-node');
  return media.every((n) => n.info[MEDIA_PROCESS_INFO] === 'true') ? 'process' : 'bypass';
}

/** Reads the default from the node registry the media nodes heartbeat into, at most once per second. */
@Injectable()
export class QuickcallMediaDefault {
  private cached: { media: QuickcallMedia; until: number } | undefined;

  constructor(@Inject(CALL_STORE) private readonly calls: CallStore) {}

  async current(): Promise<QuickcallMedia> {
    const now = Date.now();
    if (this.cached !== undefined && this.cached.until > now) return this.cached.media;
    const nodes: NodeRegistry = this.calls.nodes;
    const media = defaultMediaOf(await nodes.liveNodes());
    this.cached = { media, until: now + CACHE_MS };
    return media;
  }
}
