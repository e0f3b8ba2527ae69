import { resolve } from 'node:path'
import pg from 'pg'
import { EmbeddedPostgres, type ServerAddress } from '#services/embedded_postgres'

export interface DatabaseServerOptions {
  /** External server; when set nothing is started */
  databaseUrl?: string
  /** Database name on the embedded server */
  databaseName: string
  embeddedDir: string
  embeddedPort: number
  logFile: string
  log?: (level: 'info' | 'warn', message: string) => void
}

export interface ConnectionConfig {
  host: string
  port: number
  user: string
  password: string
  database: string
  ssl?: boolean | { rejectUnauthorized: boolean }
}

/**
 * Where Herald's PostgreSQL lives: an external server (DATABASE_URL) or the embedded
 * one, started on first need. It runs before the app's config is loaded (a booting
 * hook in bin/*.ts), so config/database.ts can read the resolved connection.
 */
export class DatabaseServer {
  #embedded?: EmbeddedPostgres
  #connection?: ConnectionConfig
  #pending?: Promise<ConnectionConfig>

  /** Connection to Herald's database. Throws when `ensure()` has not run. */
  get connection(): ConnectionConfig {
    if (!this.#connection) {
      throw new Error(
        'The database server has not been prepared (DatabaseServer.ensure() was not called)'
      )
    }
    return this.#connection
  }

  get isEmbedded() {
    return Boolean(this.#embedded)
  }

  get ownsServer() {
    return this.#embedded?.ownership === 'owner'
  }

  get embeddedDataDir() {
    return this.#embedded?.dataDir
  }

  ensure(options: DatabaseServerOptions): Promise<ConnectionConfig> {
    this.#pending ??= this.#prepare(options)
    return this.#pending
  }

  async #prepare(options: DatabaseServerOptions): Promise<ConnectionConfig> {
    if (options.databaseUrl) {
      this.#connection = parseDatabaseUrl(options.databaseUrl)
      return this.#connection
    }

    this.#embedded = new EmbeddedPostgres({
      dataDir: resolve(options.embeddedDir),
      port: options.embeddedPort,
      logFile: resolve(options.logFile),
      log: options.log,
    })
    const address = await this.#embedded.ensureRunning()
    await createDatabaseIfMissing(address, options.databaseName)
    this.#connection = { ...address, database: options.databaseName }
    return this.#connection
  }

  /** Stops the embedded server when this process owns it */
  async stop() {
    await this.#embedded?.stop()
  }
}

export function parseDatabaseUrl(url: string): ConnectionConfig {
  const parsed = new URL(url)
  const sslMode = parsed.searchParams.get('sslmode')
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    ssl:
      sslMode === 'require' || sslMode === 'prefer'
        ? { rejectUnauthorized: false }
        : sslMode === 'verify-full'
          ? true
          : undefined,
  }
}

/** CREATE DATABASE when missing (checked first: a failed CREATE leaves noise in the log) */
export async function createDatabaseIfMissing(
  address: ServerAddress | ConnectionConfig,
  name: string
): Promise<boolean> {
  const client = new pg.Client({ ...address, database: 'postgres' })
  client.on('error', () => {})
  await client.connect()
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount) return false
    await client.query(`create database ${pg.escapeIdentifier(name)}`)
    return true
  } catch (error) {
    /** Two processes racing to create it: the loser sees duplicate_database */
    if ((error as { code?: string }).code === '42P04') return false
    throw error
  } finally {
    await client.end()
  }
}

const databaseServer = new DatabaseServer()
export default databaseServer
