import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One row per queue worker process, written by the `heartbeat` job each time it
 * runs there (every 30 s), so Admin → System can say "workers are alive" or "no
 * worker has run for N minutes". prune_jobs deletes rows of workers gone for a day.
 */
export default class extends BaseSchema {
  protected tableName = 'worker_heartbeats'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.string('worker_id', 200).notNullable().primary()
      table.string('hostname', 255).notNullable()
      table.integer('pid').notNullable()
      table.jsonb('queues').notNullable().defaultTo('[]')
      table.string('backend', 16).notNullable()
      table.timestamp('started_at', { useTz: true }).notNullable()
      table.timestamp('last_seen_at', { useTz: true }).notNullable()
      table.index(['last_seen_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
