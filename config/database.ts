import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/lucid'
import databaseServer from '#services/database_server'

/**
 * The connection comes from the database server prepared before boot
 * (start/runtime.ts): DATABASE_URL, or the embedded PostgreSQL.
 */
const dbConfig = defineConfig({
  connection: 'postgres',
  prettyPrintDebugQueries: true,
  connections: {
    postgres: {
      client: 'pg',
      connection: databaseServer.connection,
      pool: { min: 0, max: Number(process.env.DB_POOL_MAX ?? 10) },
      migrations: {
        naturalSort: true,
        paths: ['database/migrations'],
      },
      debug: false,
      schemaGeneration: {
        enabled: !app.inProduction,
        rulesPaths: ['./database/schema_rules.js'],
      },
    },
  },
})

export default dbConfig
