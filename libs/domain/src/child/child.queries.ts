import type { ChildState, Pairing } from './child.events';

/**
 * Whether a pairing is active, given whether its carer has retired (a carer stream fact the child
 * stream does not hold). Pairings end by themselves when the child stops being in care.
 */
export function isPairingActive(pairing: Pairing, carerRetired = false): boolean {
  return pairing.endedAt === null && !carerRetired;
}

export function activePairings(child: ChildState, isCarerRetired: (carerId: string) => boolean = () => false): Pairing[] {
  if (child.status === 'unregistered') return [];
  return child.pairings.filter((p) => isPairingActive(p, isCarerRetired(p.carerId)));
}

/**
 * 建档 complete (INDICATORS.md `archiveCompleteness`): guardian name and phone, home address, and
 * — when parents are away — one parent with both phone and work city. Judged from the personal
 * field paths, which survive erasure, so erasure changes no figure.
 */
export function isArchiveComplete(child: ChildState): boolean {
  if (child.status === 'unregistered') return false;
  const has = new Set(child.personalFields);
  const basics = has.has('guardian.name') && has.has('guardian.phone') && has.has('homeAddress');
  if (!basics) return false;
  if (child.parentsAway === 'none') return true;
  const parentIndexes = new Set(child.personalFields.map((p) => /^parents\[(\d+)\]/.exec(p)?.[1]).filter((i) => i !== undefined));
  return [...parentIndexes].some((i) => has.has(`parents[${i}].phone`) && has.has(`parents[${i}].workCity`));
}
