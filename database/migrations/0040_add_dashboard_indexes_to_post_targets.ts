import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Indexes for the workspace dashboard (app/queries/workspace_dashboard_query.ts):
 * - the latest targets in each state that needs a person ("Needs attention":
 *   failed, unknown, held, missed, needs reconnect, newest first) are read
 *   from the end of (workspace_id, status, updated_at), a few rows each,
 *   however many have piled up. It replaces (workspace_id, status), its prefix,
 *   which serves every query that one served;
 * - "Published this week" reads (workspace_id, published_at), carrying
 *   post_id so the week's count needs no table access. Only published
 *   targets have a published_at, so the index skips the rest.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      `CREATE INDEX post_targets_workspace_status_updated_at_index
         ON post_targets (workspace_id, status, updated_at)`
    )
    this.schema.raw('DROP INDEX post_targets_workspace_id_status_index')
    this.schema.raw(
      `CREATE INDEX post_targets_workspace_published_at_index
         ON post_targets (workspace_id, published_at) INCLUDE (post_id)
         WHERE published_at IS NOT NULL`
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS post_targets_workspace_published_at_index')
    this.schema.raw(
      'CREATE INDEX post_targets_workspace_id_status_index ON post_targets (workspace_id, status)'
    )
    this.schema.raw('DROP INDEX IF EXISTS post_targets_workspace_status_updated_at_index')
  }
}
