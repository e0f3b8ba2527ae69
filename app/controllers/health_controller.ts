import type { HttpContext } from '@adonisjs/core/http'
import { CheckReadiness } from '#actions/system/check_readiness'

/**
 * Probes for Docker, Compose and load balancers.
 */
export default class HealthController {
  /** The process is alive and serving HTTP */
  async live({ response }: HttpContext) {
    return response.ok({ status: 'ok' })
  }

  /** The database answers and every migration has run */
  async ready({ response }: HttpContext) {
    const report = await new CheckReadiness().execute()
    return response.status(report.ready ? 200 : 503).send(report)
  }
}
