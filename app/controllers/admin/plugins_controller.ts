import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import NotFoundException from '#exceptions/not_found_exception'
import { SavePluginSettings } from '#actions/plugins/save_plugin_settings'
import { ListPluginsQuery, problemView } from '#queries/list_plugins_query'
import { PluginSettingsQuery } from '#queries/plugin_settings_query'
import { PublisherSetupQuery } from '#queries/publisher_setup_query'
import { PluginRegistry, type PluginRecord } from '#plugin_host/registry'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import { validatePluginSettings } from '#validators/plugin_settings'

/**
 * Admin: the plugins found at boot, their problems, and their settings.
 */
@inject()
export default class PluginsController {
  constructor(
    private registry: PluginRegistry,
    private store: PluginSettingsStore
  ) {}

  @inject()
  async index({ view }: HttpContext, plugins: ListPluginsQuery) {
    return view.render('pages/admin/plugins/index', await plugins.execute())
  }

  @inject()
  async edit(
    { params, view }: HttpContext,
    settings: PluginSettingsQuery,
    setups: PublisherSetupQuery
  ) {
    const plugin = this.#find(params.id)
    const form = plugin.manifest ? await settings.execute(plugin.manifest) : null
    const setup = await setups.find(plugin.id)
    return view.render('pages/admin/plugins/edit', { ...this.#state(plugin, form), setup })
  }

  @inject()
  async update(
    { params, request, htmx, auth, session }: HttpContext,
    settings: PluginSettingsQuery,
    save: SavePluginSettings
  ) {
    const plugin = this.#find(params.id)
    if (!plugin.manifest) throw new NotFoundException()
    const resolved = await this.store.resolve(plugin.manifest)
    const [error, changes] = await validatePluginSettings(request.all(), resolved)
    if (error) {
      const state = this.#state(plugin, await settings.execute(plugin.manifest))
      return htmx.invalid(
        'pages/admin/plugins/edit',
        'partials/plugins/settings_form',
        error,
        state
      )
    }

    await save.execute(plugin.manifest, changes, auth.getUserOrFail())
    session.flash('success', `The ${plugin.manifest.displayName} settings were saved.`)
    return htmx.redirect(`/admin/plugins/${plugin.id}`)
  }

  #find(id: unknown): PluginRecord {
    const plugin = this.registry.find(String(id))
    if (!plugin) throw new NotFoundException()
    return plugin
  }

  #state(plugin: PluginRecord, form: unknown) {
    return {
      plugin,
      form,
      problems: plugin.problems.map(problemView),
      isDefaultStorage: plugin.id === this.registry.defaultMediaStorageId,
    }
  }
}
