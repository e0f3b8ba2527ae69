import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join, relative, resolve, sep } from 'node:path'
import type { PluginProblem } from '#plugin_host/manifest_validator'

/** A plugin found on disk or in node_modules, before its manifest is validated. */
export interface PluginCandidate {
  /** `folder` (a subfolder of a plugins folder) or `package` (an npm package from config). */
  source: 'folder' | 'package'
  /** Folder name or npm package name. */
  name: string
  /** Absolute directory of the plugin. */
  dir: string
  /** package.json path for messages (relative to the app root when inside it). */
  file: string
  /** Parsed package.json, when readable. */
  packageJson?: Record<string, unknown>
  /** Absolute path of the code entry, when resolved. */
  entry?: string
  /** Problems found so far (unreadable package.json, missing entry...). */
  problems: PluginProblem[]
}

/** Where to look for plugins. */
export interface DiscoveryOptions {
  /** Absolute paths of folders whose subfolders are plugins (e.g. `<app>/plugins`). */
  folders: readonly string[]
  /** npm package names to load as plugins. */
  packages: readonly string[]
  /** Absolute app root, to resolve packages and shorten paths in messages. */
  appRoot: string
}

function displayPath(appRoot: string, path: string): string {
  const inside = relative(appRoot, path)
  return inside.startsWith('..') ? path : inside.split(sep).join('/')
}

/** The module path a package.json points at: `exports["."]` (import/default), `main`, or index.js. */
function declaredEntry(packageJson: Record<string, unknown>): string {
  const pick = (value: unknown): string | undefined => {
    if (typeof value === 'string') return value
    if (typeof value !== 'object' || value === null) return undefined
    const conditions = value as Record<string, unknown>
    if ('.' in conditions) return pick(conditions['.'])
    return pick(conditions.import) ?? pick(conditions.node) ?? pick(conditions.default)
  }
  return pick(packageJson.exports) ?? pick(packageJson.main) ?? 'index.js'
}

/**
 * Resolves the code entry inside `dir`. A TypeScript entry (`src/index.ts`) is used as is while
 * developing; in the production build (`node ace build` compiles plugins/**\/*.ts to .js next to the
 * copied package.json) the file is gone and its `.js` twin is used instead.
 */
export function resolveEntry(
  dir: string,
  packageJson: Record<string, unknown>
): { entry?: string; message?: string; fix?: string } {
  const declared = declaredEntry(packageJson)
  const path = resolve(dir, declared)
  if (path !== dir && !path.startsWith(dir + sep)) {
    return {
      message: `the code entry "${declared}" points outside the plugin folder`,
      fix: 'point "main" or "exports" at a file inside the plugin',
    }
  }
  if (existsSync(path)) return { entry: path }
  const compiled = path.replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs')
  if (compiled !== path && existsSync(compiled)) return { entry: compiled }
  return {
    message: `the code entry "${declared}" does not exist`,
    fix: 'point "main" (or "exports") at the file that default-exports definePlugin()',
  }
}

async function readCandidate(
  source: PluginCandidate['source'],
  name: string,
  dir: string,
  appRoot: string
): Promise<PluginCandidate> {
  const packageFile = join(dir, 'package.json')
  const file = displayPath(appRoot, packageFile)
  const candidate: PluginCandidate = { source, name, dir, file, problems: [] }
  let text: string
  try {
    text = await readFile(packageFile, 'utf8')
  } catch {
    candidate.problems.push({
      plugin: name,
      file,
      message: 'the plugin has no package.json',
      fix: 'add a package.json with a "herald" manifest (node ace make:plugin shows one)',
    })
    return candidate
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error('it is not a JSON object')
    }
    candidate.packageJson = parsed as Record<string, unknown>
  } catch (error) {
    candidate.problems.push({
      plugin: name,
      file,
      message: `package.json is not valid JSON (${(error as Error).message})`,
      fix: 'fix the JSON syntax',
    })
    return candidate
  }
  const resolved = resolveEntry(dir, candidate.packageJson)
  if (resolved.entry) candidate.entry = resolved.entry
  else {
    candidate.problems.push({
      plugin: name,
      file,
      field: 'main',
      message: resolved.message!,
      fix: resolved.fix,
    })
  }
  return candidate
}

/** Subfolders of a plugins folder that are plugins (skips dot and underscore folders, node_modules). */
async function pluginFolders(folder: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true })
  } catch {
    return []
  }
  const names: string[] = []
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_') || entry.name === 'node_modules') {
      continue
    }
    const isDirectory =
      entry.isDirectory() ||
      (entry.isSymbolicLink() &&
        (await stat(join(folder, entry.name)).then(
          (info) => info.isDirectory(),
          () => false
        )))
    if (isDirectory) names.push(entry.name)
  }
  return names.sort()
}

/** Directory of an installed npm package, looked up the way Node resolves it from the app. */
function packageDir(name: string, appRoot: string): string | undefined {
  const require = createRequire(join(appRoot, 'package.json'))
  for (const modules of require.resolve.paths(name) ?? []) {
    const dir = join(modules, name)
    if (existsSync(join(dir, 'package.json'))) return dir
  }
  return undefined
}

/** Finds plugin candidates in the plugins folders and the configured npm packages. */
export async function discoverPlugins(options: DiscoveryOptions): Promise<PluginCandidate[]> {
  const candidates: PluginCandidate[] = []
  for (const folder of options.folders) {
    for (const name of await pluginFolders(folder)) {
      candidates.push(await readCandidate('folder', name, join(folder, name), options.appRoot))
    }
  }
  for (const name of options.packages) {
    const dir = packageDir(name, options.appRoot)
    if (!dir) {
      candidates.push({
        source: 'package',
        name,
        dir: '',
        file: `node_modules/${name}`,
        problems: [
          {
            plugin: name,
            file: 'config/plugins.ts',
            field: 'packages',
            message: `the npm package "${name}" is not installed`,
            fix: `run npm install ${name}, or remove it from plugins.packages`,
          },
        ],
      })
      continue
    }
    candidates.push(await readCandidate('package', name, dir, options.appRoot))
  }
  return candidates
}
