import type { Group } from '@japa/runner/core'
import testUtils from '@adonisjs/core/services/test_utils'
import { FirstRunState } from '#services/first_run_state'

/**
 * Every test of the group runs inside a transaction rolled back afterwards
 * (the HTTP server under test shares the process, so its queries join it).
 */
export function isolateDatabase(group: Group) {
  group.each.setup(async () => {
    FirstRunState.reset()
    const rollback = await testUtils.db().withGlobalTransaction()
    return async () => {
      await rollback()
      FirstRunState.reset()
    }
  })
}

/**
 * For tests whose requests come from a real browser (a separate connection
 * per request, so no wrapping transaction): every table emptied before and
 * after each test. (`testUtils.db().truncate()` only truncates in the cleanup
 * function it returns.)
 */
export function truncateAroundEach(group: Group) {
  group.each.setup(async () => {
    await truncateAll()
    return () => truncateAll()
  })
}

async function truncateAll() {
  const { default: db } = await import('@adonisjs/lucid/services/db')
  const rows = await db
    .from('pg_tables')
    .where('schemaname', 'public')
    .whereNotIn('tablename', ['adonis_schema', 'adonis_schema_versions'])
    .select('tablename')
  if (rows.length) {
    const tables = rows.map((row) => `"${row.tablename}"`).join(', ')
    await db.rawQuery(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`)
  }
  FirstRunState.reset()
}
