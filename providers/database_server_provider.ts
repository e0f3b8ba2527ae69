import type { ApplicationService } from '@adonisjs/core/types'
import databaseServer from '#services/database_server'

/**
 * Registered first, so its shutdown runs last: the embedded PostgreSQL stops after
 * every other provider (Lucid pools, queue workers) has let go of it.
 */
export default class DatabaseServerProvider {
  constructor(protected app: ApplicationService) {}

  async shutdown() {
    await databaseServer.stop()
  }
}
