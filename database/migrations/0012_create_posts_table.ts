import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A post of a workspace: its base text and media, when it goes out (a UTC
 * instant plus the timezone it was chosen in), its approval, and a status
 * rolled up from its targets (app/publishing/post_status.ts).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('posts', (table) => {
      table.increments('id')
      table
        .integer('workspace_id')
        .notNullable()
        .references('id')
        .inTable('workspaces')
        .onDelete('CASCADE')
      table.integer('author_id').nullable().references('id').inTable('users').onDelete('SET NULL')
      table.text('base_text').notNullable().defaultTo('')
      table.string('status', 24).notNullable().defaultTo('draft')
      table.timestamp('scheduled_at', { useTz: true }).nullable()
      table.string('schedule_timezone', 64).nullable()
      /** none (no approval asked), pending, approved, rejected */
      table.string('approval_state', 16).notNullable().defaultTo('none')
      table.text('approval_comment').nullable()
      table
        .integer('approval_decided_by_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table.timestamp('approval_decided_at', { useTz: true }).nullable()
      table.timestamp('submitted_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['workspace_id', 'status'])
      table.index(['workspace_id', 'scheduled_at'])
    })
    this.schema.raw(
      `ALTER TABLE posts ADD CONSTRAINT posts_approval_state_check
       CHECK (approval_state IN ('none', 'pending', 'approved', 'rejected'))`
    )

    /** The base media of a post, in order (targets may override them) */
    this.schema.createTable('post_media', (table) => {
      table.increments('id')
      table.integer('post_id').notNullable().references('id').inTable('posts').onDelete('CASCADE')
      table
        .integer('media_asset_id')
        .notNullable()
        .references('id')
        .inTable('media_assets')
        .onDelete('CASCADE')
      table.integer('position').notNullable().defaultTo(0)
      table.unique(['post_id', 'media_asset_id'])
      table.index(['media_asset_id'])
    })
  }

  async down() {
    this.schema.dropTable('post_media')
    this.schema.dropTable('posts')
  }
}
