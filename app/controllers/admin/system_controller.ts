import type { HttpContext } from '@adonisjs/core/http'
import { SystemHealthQuery } from '#queries/system_health_query'

/**
 * Admin → System: queue backend, worker heartbeat, queue counts, failed jobs.
 * htmx polls the same URL for the fragment.
 */
export default class SystemController {
  async show({ htmx }: HttpContext) {
    const health = await new SystemHealthQuery().execute()
    return htmx.render('pages/admin/system/show', 'partials/admin/system/health', { health })
  }
}
