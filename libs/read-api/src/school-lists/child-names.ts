import { Inject, Injectable } from '@nestjs/common';
import { streamIdOf } from '@lbc/domain';
import type { EventStore } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import { AccessLog, reasonOfRole } from '@lbc/personal-data';
import type { Session } from '@lbc/http';
import { EVENT_STORE, mapLimit, VAULT } from '@lbc/http';

/** The archive events whose `data.personal` may give the child's name. */
const NAMING_TYPES = new Set(['ChildRegistered', 'ArchiveUpdated']);
/** Streams read and opened at once: a page (≤ 500 children) without taking every pool connection. */
const CONCURRENT_READS = 8;

/**
 * Children's names for the school lists. The read models hold no personal data, so each name
 * comes from the child's stream: the latest archive event naming the child (its `personalFields`
 * say so without opening anything), opened with the vault — one decryption per child.
 */
@Injectable()
export class ChildNames {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly accessLog: AccessLog,
  ) {}

  /**
   * The items with each child's `name` (null once its personal data is erased), each name opened
   * recorded in the access log before the list leaves.
   */
  async attach<T extends { readonly childId: string }>(items: readonly T[], reader: Session, requestId: string | null): Promise<(T & { readonly name: string | null })[]> {
    const names = new Map<string, string | null>();
    await mapLimit(items, CONCURRENT_READS, async ({ childId }) => {
      names.set(childId, await this.nameOf(childId));
    });
    await this.accessLog.recordAll(
      items
        .filter(({ childId }) => names.get(childId) != null)
        .map(({ childId }) => ({
          userId: reader.userId,
          role: reader.role,
          countyId: reader.countyId,
          subject: streamIdOf('child', childId),
          fields: ['name'],
          reason: reasonOfRole(reader.role),
          requestId,
        })),
    );
    return items.map((item) => ({ ...item, name: names.get(item.childId) ?? null }));
  }

  private async nameOf(childId: string): Promise<string | null> {
    const events = await this.store.readStream(streamIdOf('child', childId));
    const naming = events.findLast((event) => NAMING_TYPES.has(event.type) && (event.data['personalFields'] as readonly string[] | undefined)?.includes('name'));
    if (naming === undefined) return null;
    const personal = await this.vault.open(childId, naming.data['personal']);
    return typeof personal?.['name'] === 'string' ? personal['name'] : null;
  }
}
