import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const secret32 = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' });

/**
 * The environment, as the apps read it. Add a variable here (with its default) and document it in
 * README.md; everything below the app layer receives the parsed `Config`.
 */
export const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' }).optional(),
  DATABASE_OWNER_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  KEY_DIR: z.string().min(1).optional(),
  DEMO_MODE: flag.optional(),
  DEMO_CHILDREN: z.coerce.number().int().min(0).default(3000),
  MASTER_KEY: secret32.optional(),
  JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  JWT_TTL_SECONDS: positiveInt(3600),
  MAX_CARER_LOAD: positiveInt(3),
  SUPPRESSION_K: positiveInt(5),
  INGEST_MAX_EVENTS: positiveInt(5000),
  INGEST_MAX_BODY_BYTES: positiveInt(8 * 1024 * 1024),
  INGEST_STREAM_CACHE: positiveInt(10_000),
  ROSTER_MAX_ROWS: positiveInt(20_000),
  ROSTER_MAX_UNCOMPRESSED_BYTES: positiveInt(64 * 1024 * 1024),
  EVENTSTORE_URL: z.string().min(1).optional(),
  CHECKPOINT_KEY: z.string().min(1).optional(),
  CHECKPOINT_ORIGIN: z
    .string()
    .regex(/^[^\s+]{1,200}$/, { message: 'must be 1–200 characters without spaces or plus signs' })
    .default('left-behind-care'),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .optional(),
  // Unset: chosen from the cluster's size when the topic is created (libs/messaging `topicSettingsFor`).
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().positive().optional(),
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number().int().positive().optional(),
});

export type Environment = z.output<typeof environmentSchema>;
