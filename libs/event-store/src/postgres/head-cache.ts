import type { StreamHead } from '../chain/chain';

/**
 * Last known head of recently written streams, least recently used evicted first. A stale entry
 * is harmless: the append function compares the hash with the real head and answers with it.
 */
export class HeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity: number) {}

  get(streamId: string): StreamHead | undefined {
    const head = this.heads.get(streamId);
    if (head) {
      this.heads.delete(streamId);
      this.heads.set(streamId, head);
    }
    return head;
  }

  set(streamId: string, head: StreamHead): void {
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) this.heads.delete(this.heads.keys().next().value as string);
  }
}
