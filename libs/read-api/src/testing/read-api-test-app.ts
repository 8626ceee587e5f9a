import type { IngestTestApp } from '@lbc/ingest/testing';
import { startIngestTestApp } from '@lbc/ingest/testing';
import { ReadApiModule } from '../read-api.module';

/** The ingest test app (a two-school county, its users, `project()`) with the read-side API mounted, as the apps mount it. */
export function startReadApiTestApp(env: Record<string, string> = {}): Promise<IngestTestApp> {
  return startIngestTestApp(env, { mount: (deps) => [ReadApiModule.forRoot(deps)] });
}
