import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Every try to publish a target: opened by the claim with a lease, marked
 * when the creating request is about to leave (after that moment a lost
 * answer is an unknown outcome, never retried blindly), closed with its
 * outcome and the platform's words.
 */
export default class extends BaseSchema {
  protected tableName = 'publish_attempts'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .integer('post_target_id')
        .notNullable()
        .references('id')
        .inTable('post_targets')
        .onDelete('CASCADE')
      table.integer('attempt_no').notNullable()
      table.string('worker_id', 200).nullable()
      table.timestamp('started_at', { useTz: true }).notNullable()
      table.timestamp('lease_expires_at', { useTz: true }).notNullable()
      table.timestamp('request_sent_at', { useTz: true }).nullable()
      table.timestamp('finished_at', { useTz: true }).nullable()
      /** published, retrying, rate_limited, failed, needs_reconnect, unknown, requeued, held, skipped */
      table.string('outcome', 24).nullable()
      table.integer('http_status').nullable()
      table.string('error_kind', 24).nullable()
      table.text('message').nullable()
      table.text('response_excerpt').nullable()
      table.unique(['post_target_id', 'attempt_no'])
      table.index(['finished_at', 'lease_expires_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
