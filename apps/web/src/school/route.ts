/** The workspace's places, in the URL's hash so that reload, back and a shared link keep them. */
import { ref } from 'vue';

export type Route =
  | { readonly view: 'worklist' | 'children' | 'roster' | 'more' | 'dashboard' }
  | { readonly view: 'child'; readonly childId: string }
  | { readonly view: 'form'; readonly form: string; readonly childId?: string; readonly params: Readonly<Record<string, string>> };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = Object.fromEntries(new URLSearchParams(query));
  if (parts[0] === 'children' && parts[1] && parts[2]) return { view: 'form', form: parts[2], childId: parts[1], params };
  if (parts[0] === 'children' && parts[1]) return { view: 'child', childId: parts[1] };
  if (parts[0] === 'new' && parts[1]) return { view: 'form', form: parts[1], params };
  if (parts[0] === 'children' || parts[0] === 'roster' || parts[0] === 'more' || parts[0] === 'dashboard') return { view: parts[0] };
  return { view: 'worklist' };
}

export const route = ref<Route>(parseRoute(location.hash));
window.addEventListener('hashchange', () => (route.value = parseRoute(location.hash)));

/** The hash of a form about a child, with what the context decides (`kind`, `pairingId`…). */
export function formHref(form: string, childId: string | undefined, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${childId ? `children/${encodeURIComponent(childId)}` : 'new'}/${form}${query ? `?${query}` : ''}`;
}
