import type { EventOf, StoredEvent } from './submitted-event';

/**
 * Sorted paths of the non-empty leaf fields of a `data.personal` object, such as `guardian.name`
 * or `parents[0].phone`. The server stores them (no values) as `data.personalFields` beside the
 * sealed `data.personal`, so read models can judge archive completeness without personal data.
 */
export function personalFieldPaths(personal: unknown): string[] {
  const paths: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, path === '' ? key : `${path}.${key}`);
    } else if (typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.trim() !== '')) {
      paths.push(path);
    }
  };
  if (typeof personal === 'object' && personal !== null && !Array.isArray(personal)) walk(personal, '');
  return paths.sort();
}

/** The event as it is stored: `data.personalFields` added when it carries `data.personal`. */
export function withPersonalFields<E extends EventOf<string, object>>(event: E): StoredEvent<E> {
  const data = event.data as { personal?: unknown };
  if (data.personal === undefined) return event as unknown as StoredEvent<E>;
  return { ...event, data: { ...event.data, personalFields: personalFieldPaths(data.personal) } } as unknown as StoredEvent<E>;
}
