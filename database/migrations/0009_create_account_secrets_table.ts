import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The tokens of a social account, AES-256-GCM ciphertexts under the secrets
 * keyring (app/services/secrets.ts), each bound to its account and column.
 * `version` grows with every write: a refresh that finds a newer version than
 * the one it started from knows another process already refreshed.
 */
export default class extends BaseSchema {
  protected tableName = 'account_secrets'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('social_account_id')
        .notNullable()
        .unique()
        .references('id')
        .inTable('social_accounts')
        .onDelete('CASCADE')
      table.text('access_token').notNullable()
      table.text('refresh_token').nullable()
      table.integer('version').notNullable().defaultTo(1)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
