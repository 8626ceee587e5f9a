/**
 * The school's carers and care homes, as the forms and the worklist name them: read from the API
 * once per page load (kept by the service worker for offline use); one registered, retired or
 * opened here counts at once, before the read models have it.
 */
import { ref } from 'vue';
import type { Session } from '../api';
import type { CareHome, Carer } from './schoolApi';
import { careHomes, carers } from './schoolApi';

export const schoolCarers = ref<readonly Carer[]>([]);
export const schoolCareHomes = ref<readonly CareHome[]>([]);
let loading: Promise<void> | undefined;
let loadedFor = '';

/** Loads both lists once per school; a failure (offline, nothing kept) leaves them as they were, to try again. */
export function loadRegisters(session: Session): Promise<void> {
  const schoolId = session.user.schoolId ?? '';
  if (loadedFor !== schoolId) {
    loading = undefined;
    loadedFor = schoolId;
    schoolCarers.value = [];
    schoolCareHomes.value = [];
  }
  loading ??= Promise.all([carers(session, schoolId), careHomes(session, schoolId)])
    .then(([carerPage, homePage]) => {
      schoolCarers.value = carerPage.items;
      schoolCareHomes.value = homePage.items;
    })
    .catch(() => {
      loading = undefined;
    });
  return loading;
}

export function carerRegistered(carer: Carer): void {
  schoolCarers.value = [...schoolCarers.value.filter((known) => known.carerId !== carer.carerId), carer];
}

export function carerRetired(carerId: string): void {
  schoolCarers.value = schoolCarers.value.filter((known) => known.carerId !== carerId);
}

export function careHomeOpened(home: CareHome): void {
  schoolCareHomes.value = [...schoolCareHomes.value.filter((known) => known.homeId !== home.homeId), home];
}
