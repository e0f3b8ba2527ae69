import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'

/**
 * Counts the SQL statements run while `run` runs (the app's requests share
 * the test's global transaction, so their queries are counted too). For
 * tests that a page costs the same number of queries however many rows it
 * shows (no query per row).
 */
export async function countQueries(run: () => Promise<unknown>): Promise<number> {
  const client: { debug: boolean } =
    db.connectionGlobalTransactions.get(db.primaryConnectionName) ?? (db.connection() as any)
  const previous = client.debug
  let count = 0
  const listener = () => count++
  client.debug = true
  emitter.on('db:query', listener)
  try {
    await run()
  } finally {
    emitter.off('db:query', listener)
    client.debug = previous
  }
  return count
}
