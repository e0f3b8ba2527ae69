import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * Lists the plugins Herald finds (the same discovery as at boot), their state
 * and, for broken ones, the problems and fixes. No database needed:
 *   node ace plugin:list            node ace plugin:list --strict (exit 1 if one is broken)
 */
export default class PluginList extends BaseCommand {
  static commandName = 'plugin:list'
  static description = 'List plugins with their kinds, version, state and problems'
  static options: CommandOptions = { startApp: false }

  @flags.boolean({ description: 'Exit with 1 when a plugin is broken (for CI)' })
  declare strict?: boolean

  async run() {
    const { prepareRuntime } = await import('#start/runtime')
    await prepareRuntime(this.app, { database: false })
    const { PluginRegistry } = await import('#plugin_host/registry')
    const { describeProblem } = await import('#plugin_host/manifest_validator')
    const { default: config } = await import('#config/plugins')
    const registry = new PluginRegistry({
      folders: config.folders,
      packages: config.packages,
      disabled: config.disabled,
      defaultMediaStorage: config.defaultMediaStorage,
      appRoot: this.app.makePath(),
    })
    const report = await registry.boot()

    const table = this.ui.table()
    table.head(['Id', 'Kinds', 'Version', 'Status', 'Problem'])
    for (const record of registry.all()) {
      const status =
        record.status === 'enabled'
          ? this.colors.green('enabled')
          : record.status === 'off'
            ? this.colors.dim('off (HERALD_PLUGINS_DISABLED)')
            : this.colors.red('broken')
      const first = record.problems[0]
      table.row([
        record.id,
        record.manifest?.kinds.join(', ') ?? '',
        record.version ?? '',
        status,
        first
          ? `${first.message}${record.problems.length > 1 ? ` (+${record.problems.length - 1})` : ''}`
          : '',
      ])
    }
    table.render()

    for (const problem of report.problems) this.logger.error(describeProblem(problem))
    for (const warning of report.warnings) this.logger.warning(warning)
    if (this.strict && report.problems.length > 0) this.exitCode = 1
  }
}
