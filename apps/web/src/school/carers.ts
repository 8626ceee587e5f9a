/**
 * Carers this device has seen (in children's pairings, or registered here): the API lists no
 * carers, so the pairing and activity forms offer these as suggestions.
 */
import { ref } from 'vue';

export interface KnownCarer {
  readonly carerId: string;
  readonly role: string;
}

const KEY = 'lbc.carers';
const stored = (): KnownCarer[] => JSON.parse(localStorage.getItem(KEY) ?? '[]') as KnownCarer[];

export const knownCarers = ref<readonly KnownCarer[]>(stored());

export function rememberCarers(carers: readonly KnownCarer[]): void {
  const byId = new Map(knownCarers.value.map((carer) => [carer.carerId, carer]));
  for (const carer of carers) byId.set(carer.carerId, carer);
  knownCarers.value = [...byId.values()];
  localStorage.setItem(KEY, JSON.stringify(knownCarers.value));
}

export function forgetCarers(): void {
  localStorage.removeItem(KEY);
  knownCarers.value = [];
}
