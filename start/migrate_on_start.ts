import type { ApplicationService } from '@adonisjs/core/types'
import env from '#start/env'
import databaseServer from '#services/database_server'

/**
 * `npm start` is ready for use: pending migrations run before the HTTP server
 * listens. On by default with the embedded database; with an external server
 * (Compose, scale-out) a one-off `node ace migration:run --force` step owns them
 * unless MIGRATE_ON_START=true.
 */
export async function migrateOnStart(app: ApplicationService) {
  if (!env.get('MIGRATE_ON_START', databaseServer.isEmbedded)) return

  /** The `db` service module is not bound yet in a booted hook: ask the container */
  const db = await app.container.make('lucid.db')
  const { MigrationRunner } = await import('@adonisjs/lucid/migration')
  const migrator = new MigrationRunner(db, app, { direction: 'up' })
  await migrator.run()
  if (migrator.error) {
    throw migrator.error
  }
  const applied = Object.keys(migrator.migratedFiles).length
  if (applied > 0) {
    const logger = await app.container.make('logger')
    logger.info({ applied }, 'database migrations applied')
  }
}
