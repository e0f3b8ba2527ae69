import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { Redis } from 'ioredis'
import {
  FlowProducer,
  Queue,
  QueueEvents,
  Worker,
  createPostgresBackend,
  runMigrations,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq'
import {
  createDatabaseIfMissing,
  parseDatabaseUrl,
  type ConnectionConfig,
} from '#services/database_server'
import { type BackendKind, type QueueLogger, silentLogger } from '#queue/types'

/**
 * The one place that knows which datastore BullMQ runs on. Everything else asks
 * a `QueueBackend` for queues, workers, queue events and flow producers.
 *
 * - PostgreSQL (default): BullMQ's PG backend (`createPostgresBackend`, the last
 *   constructor argument) in its own database, so a long transaction in Herald's
 *   database (a report, pg_dump) cannot slow the queue. One `pg.Pool` serves every
 *   queue and worker of the process: BullMQ would otherwise open a pool per queue
 *   or worker. Each worker keeps one connection of it for LISTEN/NOTIFY.
 * - Redis (REDIS_URL): two ioredis connections per process, one for producers and
 *   one (maxRetriesPerRequest: null, as BullMQ requires) that workers share and
 *   duplicate for their blocking fetch. Keys live under `prefix`.
 */

export type AnyQueue = Queue<any, any, string, any, any, string, any, any>
export type AnyWorker = Worker<any, any, string, any, any, any>
export type AnyQueueEvents = QueueEvents<any, any, any>
export type AnyFlowProducer = FlowProducer<any, any>

type QueueSettings = Omit<QueueOptions, 'connection' | 'prefix'>
type WorkerSettings = Omit<WorkerOptions, 'connection' | 'prefix'>

export interface QueueBackend {
  readonly kind: BackendKind
  /** Where the jobs live, in words (no secrets) */
  readonly description: string
  createQueue(name: string, options?: QueueSettings): AnyQueue
  createWorker(name: string, processor: Processor, options: WorkerSettings): AnyWorker
  createQueueEvents(name: string): AnyQueueEvents
  createFlowProducer(): AnyFlowProducer
  /** Ends the shared connections; close queues and workers first */
  close(): Promise<void>
  /**
   * Drops every connection at once, so BullMQ calls waiting on a backend that does
   * not answer fail and its workers can finish closing.
   */
  abort(): void
}

export interface PostgresBackendSettings {
  kind: 'postgres'
  /** QUEUE_DATABASE_URL, when set */
  databaseUrl?: string
  /** Herald's own database: the queue database is `<its name>_queue` on the same server */
  appConnection: ConnectionConfig
  /** The embedded server: Herald is its superuser and creates the database */
  embedded: boolean
  /** Size of the shared pool (each worker keeps one connection for LISTEN) */
  poolMax: number
  logger?: QueueLogger
}

export interface RedisBackendSettings {
  kind: 'redis'
  url: string
  prefix: string
  logger?: QueueLogger
}

export type BackendSettings = PostgresBackendSettings | RedisBackendSettings

/** BullMQ's PostgreSQL schema. A caller-built pg.Pool always uses this name. */
const PG_SCHEMA = 'bullmq'

export class QueueDatabaseError extends Error {}

/** Opens the backend: creates and migrates the queue database when needed */
export async function openBackend(settings: BackendSettings): Promise<QueueBackend> {
  if (settings.kind === 'redis') {
    return new RedisBackend(settings)
  }
  return PostgresBackend.open(settings)
}

/*
|--------------------------------------------------------------------------
| PostgreSQL
|--------------------------------------------------------------------------
*/
export class PostgresBackend implements QueueBackend {
  readonly kind = 'postgres' as const
  readonly description: string

  private constructor(
    readonly pool: pg.Pool,
    readonly connection: ConnectionConfig
  ) {
    this.description = `PostgreSQL, database "${connection.database}" on ${connection.host}:${connection.port}`
  }

  static async open(settings: PostgresBackendSettings) {
    const logger = settings.logger ?? silentLogger
    const connection = await ensureQueueDatabase(settings)
    const pool = new pg.Pool({
      ...connection,
      max: settings.poolMax,
      /** BullMQ's SQL uses unqualified names: a caller-built pool must pin search_path */
      options: `-c search_path=${PG_SCHEMA}`,
      /** Lets BullMQ detect a silently dropped LISTEN connection (else it polls every 10 s) */
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    })
    /** Every queue and worker adds an error listener to the shared pool */
    pool.setMaxListeners(0)
    pool.on('error', (error) => logger.warn({ err: error }, 'queue database connection lost'))

    /**
     * `migrate: true` is honoured only when BullMQ builds the pool itself; with a
     * shared pool we run the same migrations once per process (in one transaction
     * under an advisory lock, so concurrent starters are safe; ~50 ms the first
     * time, a single read afterwards).
     */
    const client = await pool.connect()
    try {
      await runMigrations(client, PG_SCHEMA)
    } finally {
      client.release()
    }
    return new PostgresBackend(pool, connection)
  }

  createQueue(name: string, options: QueueSettings = {}): AnyQueue {
    return new Queue(name, { ...options, connection: this.pool }, createPostgresBackend)
  }

  createWorker(name: string, processor: Processor, options: WorkerSettings): AnyWorker {
    return new Worker(name, processor, { ...options, connection: this.pool }, createPostgresBackend)
  }

  createQueueEvents(name: string): AnyQueueEvents {
    return new QueueEvents(name, { connection: this.pool }, createPostgresBackend)
  }

  createFlowProducer(): AnyFlowProducer {
    return new FlowProducer({ connection: this.pool }, createPostgresBackend)
  }

  async close() {
    await this.pool.end()
  }

  abort() {
    this.pool.end().catch(() => {})
  }
}

/**
 * The queue database: QUEUE_DATABASE_URL, or `<database>_queue` next to Herald's
 * database. Created when missing; when the server refuses (a managed PostgreSQL
 * whose user may not create databases), the error says what to create.
 */
async function ensureQueueDatabase(settings: PostgresBackendSettings): Promise<ConnectionConfig> {
  const target = settings.databaseUrl
    ? parseDatabaseUrl(settings.databaseUrl)
    : { ...settings.appConnection, database: `${settings.appConnection.database}_queue` }

  if (settings.embedded && !settings.databaseUrl) {
    await createDatabaseIfMissing(settings.appConnection, target.database)
    return target
  }

  if (await databaseAnswers(target)) return target

  /** CREATE DATABASE works from any database of the server; use one we can reach */
  const from = settings.databaseUrl ? { ...target, database: 'postgres' } : settings.appConnection
  const client = new pg.Client(from)
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query(`create database ${pg.escapeIdentifier(target.database)}`)
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code !== '42P04') {
      throw new QueueDatabaseError(
        `Herald keeps its job queue in its own PostgreSQL database, "${target.database}" on ` +
          `${target.host}:${target.port}. It does not exist and Herald could not create it ` +
          `(${(error as Error).message}). Create it once, e.g. ` +
          `CREATE DATABASE ${pg.escapeIdentifier(target.database)} OWNER ${pg.escapeIdentifier(target.user)}; ` +
          'or set QUEUE_DATABASE_URL to a database Herald may use, or set REDIS_URL to use Redis.'
      )
    }
  } finally {
    await client.end().catch(() => {})
  }
  return target
}

/** True when the database exists and accepts us; false only when it does not exist */
async function databaseAnswers(connection: ConnectionConfig) {
  const client = new pg.Client({ ...connection, connectionTimeoutMillis: 10_000 })
  client.on('error', () => {})
  try {
    await client.connect()
    return true
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return false
    throw new QueueDatabaseError(
      `Herald cannot reach its queue database "${connection.database}" on ${connection.host}:${connection.port}: ${(error as Error).message}`
    )
  } finally {
    await client.end().catch(() => {})
  }
}

/*
|--------------------------------------------------------------------------
| Redis
|--------------------------------------------------------------------------
*/
export class RedisBackend implements QueueBackend {
  readonly kind = 'redis' as const
  readonly description: string
  readonly prefix: string
  readonly #producer: Redis
  readonly #consumer: Redis
  /** Workers' blocking connections, duplicated by BullMQ from #consumer */
  readonly #duplicates = new Set<Redis>()

  constructor(settings: RedisBackendSettings) {
    const logger = settings.logger ?? silentLogger
    const url = new URL(settings.url)
    this.prefix = settings.prefix
    this.description = `Redis at ${url.hostname}:${url.port || 6379}, keys under "${settings.prefix}:"`
    /** Producers fail a dispatch after a few retries instead of hanging a request */
    this.#producer = new Redis(settings.url, { maxRetriesPerRequest: 20 })
    /** Workers wait for Redis as long as it takes (BullMQ requires null here) */
    this.#consumer = new Redis(settings.url, { maxRetriesPerRequest: null })
    for (const client of [this.#producer, this.#consumer]) {
      client.on('error', (error) => logger.warn({ err: error }, 'queue Redis connection error'))
    }
    const duplicate = this.#consumer.duplicate.bind(this.#consumer)
    this.#consumer.duplicate = ((...args: Parameters<Redis['duplicate']>) => {
      const copy = duplicate(...args)
      this.#duplicates.add(copy)
      copy.once('end', () => this.#duplicates.delete(copy))
      return copy
    }) as Redis['duplicate']
  }

  createQueue(name: string, options: QueueSettings = {}): AnyQueue {
    return new Queue(name, { ...options, connection: this.#producer, prefix: this.prefix })
  }

  createWorker(name: string, processor: Processor, options: WorkerSettings): AnyWorker {
    return new Worker(name, processor, {
      ...options,
      connection: this.#consumer,
      prefix: this.prefix,
    })
  }

  createQueueEvents(name: string): AnyQueueEvents {
    return new QueueEvents(name, { connection: this.#consumer, prefix: this.prefix })
  }

  createFlowProducer(): AnyFlowProducer {
    return new FlowProducer({ connection: this.#producer, prefix: this.prefix })
  }

  /** QUIT when connected (a short wait), else just drop the connection and its reconnect timer */
  async close() {
    await Promise.all(
      [this.#producer, this.#consumer].map(async (client) => {
        if (client.status === 'ready') {
          await Promise.race([
            client.quit().catch(() => {}),
            sleep(2000, undefined, { ref: false }),
          ])
        }
        client.disconnect()
      })
    )
    this.abort()
  }

  abort() {
    for (const client of [this.#producer, this.#consumer, ...this.#duplicates]) {
      client.disconnect()
    }
  }
}
