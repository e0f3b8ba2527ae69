import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import NotFoundException from '#exceptions/not_found_exception'
import { Publishers } from '#plugin_host/publishers'
import { CheckPublisherConfiguration } from '#actions/accounts/check_publisher_configuration'

/**
 * Admin: "Check configuration" on a publisher's plugin page: asks the
 * platform whether the saved client credentials are right.
 */
export default class PluginChecksController {
  @inject()
  async store(
    { params, htmx, view, session }: HttpContext,
    publishers: Publishers,
    check: CheckPublisherConfiguration
  ) {
    if (!publishers.find(String(params.id))) throw new NotFoundException()
    const result = await check.execute(String(params.id))
    if (htmx.isRequest) return view.render('partials/accounts/check_result', { result })
    session.flash(result.status === 'valid' ? 'success' : 'error', result.message)
    return htmx.redirect(`/admin/plugins/${result.pluginId}`)
  }
}
