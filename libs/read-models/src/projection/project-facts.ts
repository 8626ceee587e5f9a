import type { EntityManager } from 'typeorm';
import type { FactRow } from '../facts/fact-entities';
import { deriveFromFacts } from '../statistics/derived-state';
import type { IfPresent } from './write-facts';
import { writeFacts } from './write-facts';

/**
 * Writes the facts and brings what is derived from them up to date, within the caller's
 * transaction: what the projector does with each batch. Returns how many facts were new.
 */
export async function projectFacts(manager: EntityManager, facts: readonly FactRow[], ifPresent: IfPresent = 'skip'): Promise<number> {
  const inserted = await writeFacts(manager, facts, ifPresent);
  await deriveFromFacts(manager, facts);
  return inserted;
}
