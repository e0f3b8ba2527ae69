import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'

export interface ReadinessReport {
  ready: boolean
  checks: {
    database: { ok: boolean; message?: string }
    migrations: { ok: boolean; pending?: number; message?: string }
  }
}

/**
 * Is Herald ready for traffic: database reachable, no migration pending.
 */
export class CheckReadiness {
  async execute(): Promise<ReadinessReport> {
    const report: ReadinessReport = {
      ready: false,
      checks: { database: { ok: false }, migrations: { ok: false } },
    }
    try {
      await db.rawQuery('select 1')
      report.checks.database = { ok: true }
    } catch (error) {
      report.checks.database = { ok: false, message: 'The database does not answer.' }
      return report
    }

    try {
      const { MigrationRunner } = await import('@adonisjs/lucid/migration')
      const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: true })
      const list = await migrator.getList()
      const pending = list.filter((entry) => entry.status === 'pending').length
      report.checks.migrations = pending
        ? { ok: false, pending, message: `${pending} migration(s) have not run.` }
        : { ok: true, pending: 0 }
    } catch {
      report.checks.migrations = { ok: false, message: 'Could not read the migrations table.' }
    }
    report.ready = report.checks.database.ok && report.checks.migrations.ok
    return report
  }
}
