import { onBeforeUnmount, ref } from 'vue';

/** The time now, updated every second while the component lives (countdowns). */
export function useNow() {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), 1000);
  onBeforeUnmount(() => clearInterval(timer));
  return now;
}

/** DOMAIN.md's emergency mechanism (应急机制): minutes after the incident to tell each party. */
export const NOTIFY_WITHIN_MINUTES = { guardian: 30, parents: 60, 'education-bureau': 120, 'township-government': 120 } as const;
