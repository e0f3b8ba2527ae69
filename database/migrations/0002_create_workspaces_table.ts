import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'workspaces'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('name', 120).notNullable()
      table.string('slug', 80).notNullable().unique()
      table.string('timezone', 64).notNullable()
      table.string('color', 7).notNullable().defaultTo('#4f46e5')
      table.text('brand_tone').nullable()
      table.text('brand_audience').nullable()
      table.jsonb('banned_words').notNullable().defaultTo('[]')
      table.jsonb('default_hashtags').notNullable().defaultTo('[]')
      table.string('default_text_model', 120).nullable()
      table.string('default_image_model', 120).nullable()
      table.decimal('monthly_ai_budget_usd', 10, 2).nullable()
      table.boolean('requires_approval').notNullable().defaultTo(false)
      table.timestamp('archived_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
