import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Runs in every entry point (server, ace, tests) before the configuration is
 * loaded: resolves APP_KEY and the database server, so config files can stay
 * plain reads.
 */
export async function prepareRuntime(app: ApplicationService, options: { database: boolean }) {
  await ensureAppKey(app)
  const { default: env } = await import('#start/env')
  if (!options.database) return

  const { default: databaseServer } = await import('#services/database_server')
  const storage = env.get('STORAGE_DIR', app.makePath('storage'))
  const log = (level: 'info' | 'warn', message: string) => {
    const line = JSON.stringify({
      level: level === 'warn' ? 40 : 30,
      time: Date.now(),
      msg: message,
    })
    if (env.get('LOG_LEVEL') !== 'silent') process.stderr.write(`${line}\n`)
  }
  await databaseServer.ensure({
    databaseUrl: env.get('DATABASE_URL'),
    databaseName: env.get('DB_NAME', 'herald'),
    embeddedDir: env.get('EMBEDDED_PG_DIR', join(storage, 'postgres')),
    embeddedPort: env.get('EMBEDDED_PG_PORT', 54329),
    logFile: join(storage, 'logs', 'postgres.log'),
    log,
  })
}

/**
 * APP_KEY signs sessions and derives other keys. Without one in the environment,
 * Herald keeps a generated key in storage/app_key (mode 600), so `npm start` needs
 * no .env and a Docker volume keeps sessions valid across restarts.
 */
async function ensureAppKey(app: ApplicationService) {
  if (process.env.APP_KEY) return
  if (existsSync(fileURLToPath(new URL('.env', app.appRoot)))) {
    const dotEnv = await readFile(fileURLToPath(new URL('.env', app.appRoot)), 'utf8')
    if (/^APP_KEY=.+/m.test(dotEnv)) return
  }
  const storage = process.env.STORAGE_DIR ?? app.makePath('storage')
  const keyFile = join(storage, 'app_key')
  if (!existsSync(keyFile)) {
    await mkdir(storage, { recursive: true })
    await writeFile(keyFile, randomBytes(32).toString('base64url'), {
      mode: 0o600,
      flag: 'wx',
    }).catch((error) => {
      if (error.code !== 'EEXIST') throw error
    })
  }
  const key = await readFile(keyFile, 'utf8')
  process.env.APP_KEY = key.trim()
}
