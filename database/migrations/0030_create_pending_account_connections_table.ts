import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Accounts a person may add after an OAuth sign-in that reached several
 * (the Facebook Pages or Instagram business accounts a user manages), kept
 * between the callback and the picker. `candidates` is one ciphertext under
 * the secrets keyring (bound to the row): the profiles and each one's own
 * tokens never reach the browser. Rows live 15 minutes and are deleted once
 * used.
 */
export default class extends BaseSchema {
  protected tableName = 'pending_account_connections'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.uuid('id').primary()
      table.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
      table
        .integer('workspace_id')
        .notNullable()
        .references('id')
        .inTable('workspaces')
        .onDelete('CASCADE')
      table.string('plugin_id', 64).notNullable()
      table.text('candidates').notNullable()
      table.timestamp('expires_at', { useTz: true }).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.index(['expires_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
