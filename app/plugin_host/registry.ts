import { relative, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Logger } from '@adonisjs/core/logger'
import {
  inspectPlugin,
  type AiImageProvider,
  type AiTextProvider,
  type MediaStorage,
  type PluginDefinition,
  type PluginKind,
  type PluginKinds,
  type PluginManifest,
  type Publisher,
} from '@herald/plugin-sdk'
import { discoverPlugins, type PluginCandidate } from '#plugin_host/discovery'
import {
  describeProblem,
  validateManifest,
  type PluginProblem,
} from '#plugin_host/manifest_validator'

/** `enabled`: loaded and usable; `off`: turned off by HERALD_PLUGINS_DISABLED; `broken`: see problems. */
export type PluginStatus = 'enabled' | 'off' | 'broken'

/** A plugin the registry knows about, whatever its state. */
export interface PluginRecord {
  /** Manifest id, or the folder/package name when the manifest is unreadable. */
  id: string
  /** Where it came from. */
  source: PluginCandidate['source']
  /** Folder or npm package name. */
  name: string
  /** package.json path for messages. */
  file: string
  /** Absolute plugin directory. */
  dir: string
  /** package.json version. */
  version?: string
  /** The manifest, when valid. */
  manifest?: PluginManifest
  /** The code's default export, when loaded and valid. */
  definition?: PluginDefinition
  status: PluginStatus
  /** Why it is broken (empty otherwise). */
  problems: PluginProblem[]
}

/** A plugin that loaded and passed its checks. */
export interface LoadedPlugin extends PluginRecord {
  status: 'enabled'
  manifest: PluginManifest
  definition: PluginDefinition
}

/** One implementation of a kind, with the plugin that provides it. */
export interface KindEntry<T> {
  plugin: LoadedPlugin
  implementation: T
}

/** What happened at boot, logged once and shown on the Plugins page. */
export interface BootReport {
  /** Ids of the enabled plugins. */
  enabled: string[]
  /** Ids turned off by HERALD_PLUGINS_DISABLED. */
  off: string[]
  /** Every problem of every broken plugin. */
  problems: PluginProblem[]
  /** Things worth knowing that disable nothing (unknown ids in HERALD_PLUGINS_DISABLED...). */
  warnings: string[]
  /** Boot duration. */
  durationMs: number
}

/** Registry configuration. */
export interface RegistryOptions {
  /** Absolute folders whose subfolders are plugins. */
  folders: readonly string[]
  /** npm packages to load as plugins. */
  packages?: readonly string[]
  /** Plugin ids to leave off (HERALD_PLUGINS_DISABLED). */
  disabled?: readonly string[]
  /** Id of the default media storage. */
  defaultMediaStorage?: string
  /** Absolute app root. */
  appRoot: string
  /** Where the boot report goes (once). */
  logger?: Pick<Logger, 'info' | 'warn'>
  /** Longest a plugin module may take to import, in ms (default 10 000). */
  importTimeoutMs?: number
}

/** Thrown when a caller asks for a plugin or kind that is not available. */
export class PluginUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PluginUnavailableError'
  }
}

function splitFix(text: string): { message: string; fix?: string } {
  const at = text.indexOf('; ')
  return at === -1 ? { message: text } : { message: text.slice(0, at), fix: text.slice(at + 2) }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Every plugin Herald found: discovered at boot (plugins folders and configured npm packages),
 * manifests validated, SDK range and code checked. A broken plugin is recorded with its problems and
 * left out; boot never fails because of a plugin.
 */
export class PluginRegistry {
  readonly #options: RegistryOptions
  #records: PluginRecord[] = []
  #report?: BootReport
  #booting?: Promise<BootReport>

  constructor(options: RegistryOptions) {
    this.#options = options
  }

  /** Discovers and loads the plugins once; later calls return the same report. */
  boot(): Promise<BootReport> {
    this.#booting ??= this.#boot()
    return this.#booting
  }

  get booted(): boolean {
    return this.#report !== undefined
  }

  /** The boot report; throws before `boot()` finished. */
  get report(): BootReport {
    if (!this.#report) throw new PluginUnavailableError('The plugin registry has not booted yet')
    return this.#report
  }

  /** Every plugin found, enabled or not, by id. */
  all(): PluginRecord[] {
    return [...this.#records]
  }

  /** A plugin by id, in whatever state. */
  find(id: string): PluginRecord | undefined {
    return this.#records.find((record) => record.id === id)
  }

  /** An enabled plugin by id. */
  get(id: string): LoadedPlugin | undefined {
    const record = this.find(id)
    return record?.status === 'enabled' ? (record as LoadedPlugin) : undefined
  }

  /** Enabled implementations of a kind. */
  ofKind<K extends PluginKind>(kind: K): KindEntry<NonNullable<PluginKinds[K]>>[] {
    return this.#records
      .filter((record): record is LoadedPlugin => record.status === 'enabled')
      .filter((plugin) => plugin.manifest.kinds.includes(kind))
      .map((plugin) => ({
        plugin,
        implementation: plugin.definition.kinds[kind] as NonNullable<PluginKinds[K]>,
      }))
  }

  publishers(): KindEntry<Publisher>[] {
    return this.ofKind('publisher')
  }

  textProviders(): KindEntry<AiTextProvider>[] {
    return this.ofKind('ai-text')
  }

  imageProviders(): KindEntry<AiImageProvider>[] {
    return this.ofKind('ai-image')
  }

  /** Id of the default media storage. */
  get defaultMediaStorageId(): string {
    return this.#options.defaultMediaStorage ?? 'local-media'
  }

  /** A media storage by plugin id, the default one when no id is given. */
  mediaStorage(id: string = this.defaultMediaStorageId): KindEntry<MediaStorage> {
    const entry = this.ofKind('media-storage').find((candidate) => candidate.plugin.id === id)
    if (entry) return entry
    const record = this.find(id)
    const why = !record
      ? 'no plugin has this id'
      : record.status === 'off'
        ? 'it is turned off by HERALD_PLUGINS_DISABLED'
        : record.status === 'broken'
          ? `it is broken: ${record.problems.map(describeProblem).join(' ')}`
          : 'it is not a media-storage plugin'
    throw new PluginUnavailableError(`Media storage "${id}" is not available: ${why}`)
  }

  async #boot(): Promise<BootReport> {
    const started = performance.now()
    const options = this.#options
    const disabled = new Set(options.disabled ?? [])
    const candidates = await discoverPlugins({
      folders: options.folders,
      packages: options.packages ?? [],
      appRoot: options.appRoot,
    })

    const records: PluginRecord[] = []
    for (const candidate of candidates) {
      records.push(await this.#load(candidate, disabled, records))
    }
    this.#records = records

    const known = new Set(records.map((record) => record.id))
    const warnings = [...disabled]
      .filter((id) => !known.has(id))
      .map((id) => `HERALD_PLUGINS_DISABLED names "${id}", which is not a plugin`)
    const storage = this.defaultMediaStorageId
    if (!this.ofKind('media-storage').some((entry) => entry.plugin.id === storage)) {
      warnings.push(
        `The default media storage "${storage}" is not available; uploads will fail until it is fixed`
      )
    }

    const report: BootReport = {
      enabled: records.filter((record) => record.status === 'enabled').map((record) => record.id),
      off: records.filter((record) => record.status === 'off').map((record) => record.id),
      problems: records.flatMap((record) => record.problems),
      warnings,
      durationMs: Math.round(performance.now() - started),
    }
    this.#report = report
    this.#log(report)
    return report
  }

  async #load(
    candidate: PluginCandidate,
    disabled: ReadonlySet<string>,
    earlier: readonly PluginRecord[]
  ): Promise<PluginRecord> {
    const record: PluginRecord = {
      id: candidate.name,
      source: candidate.source,
      name: candidate.name,
      file: candidate.file,
      dir: candidate.dir,
      version:
        typeof candidate.packageJson?.version === 'string'
          ? candidate.packageJson.version
          : undefined,
      status: 'broken',
      problems: [...candidate.problems],
    }
    if (!candidate.packageJson) return record

    const validated = await validateManifest(candidate.packageJson, {
      file: candidate.file,
      folder: candidate.source === 'folder' ? candidate.name : undefined,
      name: candidate.name,
    })
    if (!validated.ok) {
      record.id = validated.problems[0]?.plugin ?? record.id
      record.problems = [...this.#renamed(record.problems, record.id), ...validated.problems]
      return record
    }
    const manifest = validated.manifest
    record.id = manifest.id
    record.manifest = manifest
    record.problems = this.#renamed(record.problems, manifest.id)

    const twin = earlier.find((other) => other.id === manifest.id)
    if (twin) {
      record.problems.push({
        plugin: manifest.id,
        file: candidate.file,
        field: 'herald.id',
        message: `the id is already used by ${twin.file}`,
        fix: 'give one of them another id, or remove the duplicate',
      })
      return record
    }
    if (record.problems.length > 0) return record
    if (disabled.has(manifest.id)) {
      record.status = 'off'
      return record
    }

    const entry = candidate.entry!
    const entryFile = this.#display(entry)
    let definition: unknown
    try {
      const module = (await withTimeout(
        import(pathToFileURL(entry).href),
        this.#options.importTimeoutMs ?? 10_000,
        'importing the module did not finish in time'
      )) as { default?: unknown }
      definition = module.default
    } catch (error) {
      record.problems.push({
        plugin: manifest.id,
        file: entryFile,
        message: `the code fails to load: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
        fix: "run the plugin's tests (node ace test plugins) and fix the error",
      })
      return record
    }

    const codeProblems = inspectPlugin(definition, manifest.kinds, manifest.id)
    if (codeProblems.length > 0) {
      record.problems.push(
        ...codeProblems.map((text) => ({ plugin: manifest.id, file: entryFile, ...splitFix(text) }))
      )
      return record
    }
    record.definition = definition as PluginDefinition
    record.status = 'enabled'
    return record
  }

  /** Problems found before the id was known, under the id. */
  #renamed(problems: PluginProblem[], id: string): PluginProblem[] {
    return problems.map((problem) => ({ ...problem, plugin: id }))
  }

  #display(path: string): string {
    const inside = relative(this.#options.appRoot, path)
    return inside.startsWith('..') ? path : inside.split(sep).join('/')
  }

  #log(report: BootReport) {
    const logger = this.#options.logger
    if (!logger) return
    const summary = `plugins: ${report.enabled.length} enabled, ${report.off.length} off, ${new Set(report.problems.map((problem) => problem.plugin)).size} broken`
    const data = {
      enabled: report.enabled,
      off: report.off,
      problems: report.problems.map(describeProblem),
      warnings: report.warnings,
      durationMs: report.durationMs,
    }
    if (report.problems.length > 0 || report.warnings.length > 0) logger.warn(data, summary)
    else logger.info(data, summary)
  }
}
