/**
 * Submissions kept on the device (IndexedDB) until the server has answered them. Each keeps the
 * eventId made when it was submitted: the server's idempotency key, so a resend after a lost
 * answer is acknowledged as a duplicate and never recorded twice.
 */
import type { IDBPDatabase } from 'idb';
import { openDB } from 'idb';
import { ref, toRaw } from 'vue';
import type { Session } from '../api';
import type { EventResult, SubmittedEvent } from './schoolApi';
import { markRecorded } from './recorded';
import { Refusal, sendEvents } from './schoolApi';

export interface OutboxItem {
  readonly eventId: string;
  readonly event: SubmittedEvent;
  /** What the list shows: the form's title and the child's name, in the words of the time. */
  readonly label: string;
  readonly savedAt: string;
  /** The server's refusal, once it came back: the item stays until the user dismisses it. */
  readonly refusal?: { readonly code: string; readonly field?: string; readonly message?: string };
}

const STORE = 'outbox';
let owner = '';
let database: Promise<IDBPDatabase> | undefined;
const db = () => (database ??= openDB(`lbc-outbox-${owner}`, 1, { upgrade: (upgrade) => upgrade.createObjectStore(STORE, { keyPath: 'eventId' }) }));

/** One outbox per account: what one teacher saved is never sent with another's token. */
export function openOutbox(username: string): void {
  if (owner === username) return;
  owner = username;
  database = undefined;
  outboxItems.value = [];
}

/** The items on the device, oldest first; the workspace shows them. */
export const outboxItems = ref<readonly OutboxItem[]>([]);

async function reload(): Promise<void> {
  const items = (await (await db()).getAll(STORE)) as OutboxItem[];
  outboxItems.value = items.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

/** One sending at a time: a flush and a form's submission never race over the same items. */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(work: () => Promise<T>): Promise<T> {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
  return next;
}

const isOffline = (failure: unknown) => failure instanceof TypeError || (failure instanceof Refusal && failure.status >= 500);

async function settle(items: readonly OutboxItem[], results: readonly EventResult[]): Promise<void> {
  const store = (await db()).transaction(STORE, 'readwrite').store;
  await Promise.all(
    items.map((item, i) => {
      const result = results[i];
      if (result.status !== 'rejected') {
        if (item.event.type === 'CareActivityRecorded' && item.event.childId) markRecorded(item.event.childId, String(item.event.data['kind']));
        return store.delete(item.eventId);
      }
      // The list's items are Vue's proxies, which IndexedDB cannot clone.
      return store.put({ ...toRaw(item), refusal: { code: result.reason ?? 'rejected', field: result.field, message: result.message } });
    }),
  );
}

/** Sends every waiting item in one batch, in the order they were made; offline, nothing changes. */
export function flush(session: Session): Promise<void> {
  return serial(async () => {
    await reload();
    const waiting = outboxItems.value.filter((item) => item.refusal === undefined);
    if (waiting.length === 0) return;
    try {
      await settle(waiting, await sendEvents(session, waiting.map((item) => item.event)));
    } catch (failure) {
      if (!isOffline(failure)) throw failure;
    } finally {
      await reload();
    }
  });
}

export type Submission = { readonly status: 'sent' } | { readonly status: 'waiting' } | { readonly status: 'refused'; readonly result: EventResult };

/**
 * Keeps the event on the device first, then sends it. Refused at once, it is taken back (the
 * form shows the reason and the user corrects it); without a network, it waits.
 */
export function submit(session: Session, event: SubmittedEvent, label: string): Promise<Submission> {
  return serial(async () => {
    const item: OutboxItem = { eventId: event.eventId, event, label, savedAt: new Date().toISOString() };
    await (await db()).put(STORE, item);
    try {
      const [result] = await sendEvents(session, [event]);
      if (result.status === 'rejected') {
        await (await db()).delete(STORE, event.eventId);
        return { status: 'refused', result } as const;
      }
      await (await db()).delete(STORE, event.eventId);
      return { status: 'sent' } as const;
    } catch (failure) {
      if (!isOffline(failure)) {
        await (await db()).delete(STORE, event.eventId);
        throw failure;
      }
      return { status: 'waiting' } as const;
    } finally {
      await reload();
    }
  });
}

export async function dismiss(eventId: string): Promise<void> {
  await (await db()).delete(STORE, eventId);
  await reload();
}

export const loadOutbox = reload;
