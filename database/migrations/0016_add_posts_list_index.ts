import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The posts list's order (newest time first, unscheduled last) as indexes,
 * so a page of 25 is read from an index instead of sorting every post of
 * the workspace (100,000 in bench/pages.ts: 57 ms a page before, 234 ms
 * filtered by a state), and its tab counts stop early in the same order.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(
      `CREATE INDEX posts_workspace_list_index
         ON posts (workspace_id, scheduled_at DESC NULLS LAST, id DESC)`
    )
    this.schema.raw(
      `CREATE INDEX post_targets_workspace_status_list_index
         ON post_targets (workspace_id, status, due_at DESC NULLS LAST, post_id DESC)`
    )
  }

  async down() {
    this.schema.raw('DROP INDEX post_targets_workspace_status_list_index')
    this.schema.raw('DROP INDEX posts_workspace_list_index')
  }
}
