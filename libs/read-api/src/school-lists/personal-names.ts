import { Inject, Injectable } from '@nestjs/common';
import { streamIdOf } from '@lbc/domain';
import type { EventStore } from '@lbc/event-store';
import type { PersonalDataVault } from '@lbc/personal-data';
import { AccessLog, reasonOfRole } from '@lbc/personal-data';
import type { Session } from '@lbc/http';
import { EVENT_STORE, mapLimit, VAULT } from '@lbc/http';

/** Whose names the school lists show: its children's and its carers'. */
export type NamedKind = 'child' | 'carer';

/** The events whose `data.personal` may give the name. */
const NAMING_TYPES: Record<NamedKind, ReadonlySet<string>> = {
  child: new Set(['ChildRegistered', 'ArchiveUpdated']),
  carer: new Set(['CarerRegistered']),
};
/** Streams read and opened at once: a page (≤ 500) without taking every pool connection. */
const CONCURRENT_READS = 8;

/**
 * Names for the school lists. The read models hold no personal data, so each name comes from the
 * subject's stream: the latest event naming it (its `personalFields` say so without opening
 * anything), opened with the vault — one decryption per child or carer.
 */
@Injectable()
export class PersonalNames {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly accessLog: AccessLog,
  ) {}

  /**
   * The items with each one's `name` (null once its personal data is erased), each name opened
   * recorded in the access log before the list leaves.
   */
  async attach<T>(kind: NamedKind, items: readonly T[], idOf: (item: T) => string, reader: Session, requestId: string | null): Promise<(T & { readonly name: string | null })[]> {
    const names = new Map<string, string | null>();
    await mapLimit(items, CONCURRENT_READS, async (item) => {
      names.set(idOf(item), await this.nameOf(kind, idOf(item)));
    });
    await this.accessLog.recordAll(
      items
        .map(idOf)
        .filter((id) => names.get(id) != null)
        .map((id) => ({
          userId: reader.userId,
          role: reader.role,
          countyId: reader.countyId,
          subject: streamIdOf(kind, id),
          fields: ['name'],
          reason: reasonOfRole(reader.role),
          requestId,
        })),
    );
    return items.map((item) => ({ ...item, name: names.get(idOf(item)) ?? null }));
  }

  private async nameOf(kind: NamedKind, id: string): Promise<string | null> {
    const events = await this.store.readStream(streamIdOf(kind, id));
    const naming = events.findLast((event) => NAMING_TYPES[kind].has(event.type) && (event.data['personalFields'] as readonly string[] | undefined)?.includes('name'));
    if (naming === undefined) return null;
    const personal = await this.vault.open(id, naming.data['personal']);
    return typeof personal?.['name'] === 'string' ? personal['name'] : null;
  }
}
