/*
|--------------------------------------------------------------------------
| Environment variables
|--------------------------------------------------------------------------
|
| Every variable has a default that runs Herald embedded (no .env needed).
| README.md lists them. APP_KEY is generated on first run when absent
| (see start/runtime.ts).
|
*/
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum.optional(['development', 'production', 'test'] as const),
  PORT: Env.schema.number.optional(),
  HOST: Env.schema.string.optional({ format: 'host' }),
  APP_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  APP_KEY: Env.schema.secret(),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory'] as const),

  /*
  |----------------------------------------------------------
  | Database: external server, or the embedded one
  |----------------------------------------------------------
  */
  DATABASE_URL: Env.schema.string.optional(),
  DB_NAME: Env.schema.string.optional(),
  EMBEDDED_PG_DIR: Env.schema.string.optional(),
  EMBEDDED_PG_PORT: Env.schema.number.optional(),
  MIGRATE_ON_START: Env.schema.boolean.optional(),

  /*
  |----------------------------------------------------------
  | Storage
  |----------------------------------------------------------
  */
  STORAGE_DIR: Env.schema.string.optional(),

  /*
  |----------------------------------------------------------
  | Plugins and secrets
  |----------------------------------------------------------
  */
  SECRETS_KEY: Env.schema.string.optional(),
  HERALD_PLUGINS_DISABLED: Env.schema.string.optional(),
  HERALD_MEDIA_STORAGE: Env.schema.string.optional(),

  /*
  |----------------------------------------------------------
  | Queue (BullMQ): PostgreSQL by default, Redis when REDIS_URL is set
  |----------------------------------------------------------
  */
  WORKERS: Env.schema.enum.optional(['inline', 'off'] as const),
  REDIS_URL: Env.schema.string.optional(),
  QUEUE_DATABASE_URL: Env.schema.string.optional(),
  QUEUE_PREFIX: Env.schema.string.optional(),
  QUEUE_CONCURRENCY: Env.schema.number.optional(),

  /*
  |----------------------------------------------------------
  | Publishing pipeline
  |----------------------------------------------------------
  */
  PUBLISH_CONCURRENCY: Env.schema.number.optional(),
  PUBLISH_MISSED_WINDOW_HOURS: Env.schema.number.optional(),
  PUBLISH_LEASE_SECONDS: Env.schema.number.optional(),
  PUBLISH_RECONCILE_SECONDS: Env.schema.number.optional(),
  PUBLISH_ORPHAN_GRACE_SECONDS: Env.schema.number.optional(),
  MEDIA_URL_REACHABLE: Env.schema.boolean.optional(),
})
