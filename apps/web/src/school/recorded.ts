import { ref } from 'vue';

/**
 * `childId|kind` of activities this page sent and the server accepted: the worklist's read model
 * follows the event store a moment later, and the duty is done already.
 */
export const recordedHere = ref<readonly string[]>([]);

export function markRecorded(childId: string, kind: string): void {
  recordedHere.value = [...recordedHere.value, `${childId}|${kind}`];
}
