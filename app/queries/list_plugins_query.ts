import { inject } from '@adonisjs/core'
import { PluginRegistry, type BootReport, type PluginRecord } from '#plugin_host/registry'
import { PluginSettingsStore } from '#plugin_host/settings_store'
import type { PluginProblem } from '#plugin_host/manifest_validator'

/** A problem as the Plugins page shows it. */
export interface ProblemView {
  plugin: string
  where: string
  message: string
  fix?: string
}

/** One row of the Plugins page. */
export interface PluginRow {
  id: string
  displayName: string
  kinds: string[]
  version?: string
  sdk?: string
  source: string
  status: PluginRecord['status']
  isDefaultStorage: boolean
  /** Undefined when the manifest is unreadable. */
  configured?: boolean
  /** Labels of required settings without a value. */
  missing: string[]
  problems: ProblemView[]
  hasSettings: boolean
}

export function problemView(problem: PluginProblem): ProblemView {
  return {
    plugin: problem.plugin,
    where: problem.field ? `${problem.file}, ${problem.field}` : problem.file,
    message: problem.message,
    fix: problem.fix,
  }
}

/**
 * The Plugins admin page: every plugin found at boot, enabled or not, whether
 * its required settings are set, and the boot report's problems.
 */
@inject()
export class ListPluginsQuery {
  constructor(
    private registry: PluginRegistry,
    private store: PluginSettingsStore
  ) {}

  async execute(): Promise<{ plugins: PluginRow[]; report: BootReport; problems: ProblemView[] }> {
    const plugins: PluginRow[] = []
    for (const record of this.registry.all()) {
      const manifest = record.manifest
      const settings = manifest ? await this.store.resolve(manifest) : undefined
      plugins.push({
        id: record.id,
        displayName: manifest?.displayName ?? record.name,
        kinds: manifest?.kinds ?? [],
        version: record.version,
        sdk: manifest?.sdk,
        source:
          record.source === 'package'
            ? `npm: ${record.name}`
            : record.file.replace(/\/package\.json$/, ''),
        status: record.status,
        isDefaultStorage: record.id === this.registry.defaultMediaStorageId,
        configured: settings?.configured,
        missing: settings?.missing.map((field) => field.label) ?? [],
        problems: record.problems.map(problemView),
        hasSettings: (manifest?.settings.length ?? 0) > 0,
      })
    }
    plugins.sort((a, b) => a.displayName.localeCompare(b.displayName))
    const report = this.registry.report
    return { plugins, report, problems: report.problems.map(problemView) }
  }
}
