import { test } from '@japa/runner'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import app from '@adonisjs/core/services/app'

/** Source files a plugin may hold code in. */
const CODE = /\.(?:[cm]?[jt]sx?)$/

/** import/export ... from '...', import('...'), require('...') */
const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bimport\s+['"]([^'"]+)['"]/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
]

async function codeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && CODE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split(sep).includes('node_modules'))
}

/** Why an import breaks a plugin's independence from Herald, or undefined. */
export function forbiddenImport(file: string, specifier: string, pluginRoot: string) {
  if (specifier.startsWith('#')) return 'a Herald import alias (#...)'
  if (specifier === '@adonisjs' || specifier.startsWith('@adonisjs/')) return 'an AdonisJS package'
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier)
    if (target !== pluginRoot && !target.startsWith(pluginRoot + sep)) {
      return 'a relative path leaving the plugin folder'
    }
    return undefined
  }
  if (specifier.startsWith('/') || specifier.startsWith('app/')) return "Herald's app code"
  return undefined
}

test.group('Plugins depend on the SDK and their own packages only', () => {
  test('no file under plugins/ imports Herald code, aliases, AdonisJS or paths outside its folder', async ({
    assert,
  }) => {
    const plugins = app.makePath('plugins')
    const problems: string[] = []
    let scanned = 0
    for (const plugin of await readdir(plugins, { withFileTypes: true })) {
      if (!plugin.isDirectory()) continue
      const pluginRoot = join(plugins, plugin.name)
      for (const file of await codeFiles(pluginRoot)) {
        scanned++
        const source = await readFile(file, 'utf8')
        for (const pattern of SPECIFIERS) {
          for (const match of source.matchAll(pattern)) {
            const why = forbiddenImport(file, match[1], pluginRoot)
            if (why)
              problems.push(`${relative(app.makePath(), file)} imports '${match[1]}': ${why}`)
          }
        }
      }
    }
    assert.isAbove(scanned, 5)
    assert.deepEqual(problems, [])
  })

  test('the rule catches each kind of forbidden import', ({ assert }) => {
    const root = app.makePath('plugins/demo')
    const file = join(root, 'src/index.ts')
    assert.equal(forbiddenImport(file, '#models/user', root), 'a Herald import alias (#...)')
    assert.equal(forbiddenImport(file, '@adonisjs/lucid/services/db', root), 'an AdonisJS package')
    assert.equal(
      forbiddenImport(file, '../../../app/services/secrets.js', root),
      'a relative path leaving the plugin folder'
    )
    assert.equal(
      forbiddenImport(file, '../../other/src/index.js', root),
      'a relative path leaving the plugin folder'
    )
    assert.equal(forbiddenImport(file, '/work/main/app/x.js', root), "Herald's app code")
    assert.isUndefined(forbiddenImport(file, './client.js', root))
    assert.isUndefined(forbiddenImport(file, '../tests/fake.js', root))
    assert.isUndefined(forbiddenImport(file, '@herald/plugin-sdk', root))
    assert.isUndefined(forbiddenImport(file, 'cloudinary', root))
    assert.isUndefined(forbiddenImport(file, 'node:fs/promises', root))
  })
})
