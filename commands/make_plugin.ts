import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { args, BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

const KINDS = ['publisher', 'ai-text', 'ai-image', 'media-storage'] as const
const PLUGIN_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/

/** Files under a stubs folder, relative to it. */
async function stubFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.stub'))
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort()
}

/** Fills `{{ name }}` placeholders; an unknown name is an error, never an empty string. */
function render(template: string, state: Record<string, string>, file: string): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => {
    if (!(name in state)) throw new Error(`${file}: unknown placeholder {{ ${name} }}`)
    return state[name]
  })
}

/**
 * Scaffolds a plugin from stubs/make/plugin (common/ plus the kind's folder,
 * paths kept, `.stub` dropped): package.json with the manifest, src/index.ts,
 * a fake of the remote API and a contract test that passes as generated.
 * Writes inside the new folder only:
 *   node ace make:plugin mastodon --kind=publisher
 * (Stubs are plain files with {{ placeholders }}: AdonisJS's Tempura stubs
 * cannot hold the backticks of TypeScript template literals.)
 */
export default class MakePlugin extends BaseCommand {
  static commandName = 'make:plugin'
  static description =
    'Create a plugin in plugins/<id>: manifest, code, a fake API server and a passing contract test'
  static options: CommandOptions = { startApp: false }

  @args.string({ description: 'Plugin id, kebab-case; also the folder name' })
  declare id: string

  @flags.string({
    description: `What the plugin provides: ${KINDS.join(', ')}`,
    required: true,
  })
  declare kind: string

  @flags.string({ description: 'Name shown in the UI (default: from the id)' })
  declare displayName?: string

  @flags.string({ description: 'Folder that holds plugins (default: plugins)' })
  declare dir?: string

  async run() {
    if (!PLUGIN_ID.test(this.id) || this.id.length > 40) {
      this.logger.error('The id must be kebab-case, at most 40 characters, e.g. "acme-social"')
      this.exitCode = 1
      return
    }
    if (!(KINDS as readonly string[]).includes(this.kind)) {
      this.logger.error(`--kind must be one of ${KINDS.join(', ')}`)
      this.exitCode = 1
      return
    }
    const root = resolve(this.app.makePath(), this.dir ?? 'plugins')
    const target = join(root, this.id)
    if (existsSync(target)) {
      this.logger.error(`${this.#display(target)} already exists; pick another id or remove it`)
      this.exitCode = 1
      return
    }

    const words = this.id.split('-')
    const capitalised = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    const { SDK_VERSION } = await import('@herald/plugin-sdk')
    const state = {
      id: this.id,
      kind: this.kind,
      displayName: this.displayName ?? capitalised.join(' '),
      pascal: capitalised.join(''),
      envPrefix: this.id.toUpperCase().replace(/-/g, '_'),
      host: `api.${this.id}.example`,
      packageName: `herald-plugin-${this.id}`,
      sdkMajor: SDK_VERSION.split('.')[0],
    }
    const stubs = this.app.makePath('stubs/make/plugin')
    const sources = [join(stubs, 'common'), join(stubs, this.kind.replace('-', '_'))]
    for (const source of sources) {
      for (const file of await stubFiles(source)) {
        const destination = join(target, file.replace(/\.stub$/, ''))
        const contents = render(await readFile(join(source, file), 'utf8'), state, file)
        await mkdir(dirname(destination), { recursive: true })
        await writeFile(destination, contents, { flag: 'wx' })
        this.logger.action(`create ${this.#display(destination)}`).succeeded()
      }
    }

    this.logger.log('')
    this.logger.info(
      `Next: node ace test plugins, then restart Herald; ${state.displayName} appears under Admin > Plugins`
    )
  }

  #display(path: string) {
    const inside = relative(this.app.makePath(), path)
    return inside.startsWith('..') ? path : inside
  }
}
