import { MANIFEST_KEY, type PluginManifest } from '../../manifest.js'
import type { SettingField } from '../../settings.js'
import { isPluginKind, PLUGIN_KINDS, SDK_VERSION } from '../../versions.js'
import { satisfiesRange } from '../semver_range.js'

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/
const HOST =
  /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/
const SETTING_TYPES = ['string', 'url', 'number', 'boolean', 'select']

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkSetting(field: unknown, index: number, seen: Set<string>): string[] {
  const at = `${MANIFEST_KEY}.settings[${index}]`
  if (!isRecord(field)) return [`${at} must be an object with name, type and label`]
  const problems: string[] = []
  const name = field.name
  if (typeof name !== 'string' || !SETTING_NAME.test(name))
    problems.push(`${at}.name must be a camelCase identifier`)
  else if (seen.has(name)) problems.push(`${at}.name '${name}' is declared twice`)
  else seen.add(name)
  const type = field.type
  if (!SETTING_TYPES.includes(String(type)))
    problems.push(`${at}.type must be one of ${SETTING_TYPES.join(', ')}`)
  if (typeof field.label !== 'string' || field.label === '')
    problems.push(`${at}.label must be a non-empty string`)
  for (const flag of ['required', 'secret'] as const) {
    if (field[flag] !== undefined && typeof field[flag] !== 'boolean')
      problems.push(`${at}.${flag} must be a boolean`)
  }
  if (field.env !== undefined && (typeof field.env !== 'string' || !ENV_NAME.test(field.env))) {
    problems.push(`${at}.env must be an UPPER_SNAKE_CASE variable name`)
  }
  if (field.help !== undefined && typeof field.help !== 'string')
    problems.push(`${at}.help must be a string`)
  const options = field.options
  const values = Array.isArray(options)
    ? options.map((option) =>
        isRecord(option) && typeof option.label === 'string' ? option.value : undefined
      )
    : []
  if (
    type === 'select' &&
    (values.length === 0 || values.some((value) => typeof value !== 'string'))
  ) {
    problems.push(`${at}.options must list { value, label } choices for a select`)
  }
  if (field.default !== undefined) {
    if (field.secret === true) problems.push(`${at} is secret and must not have a default`)
    const expected = type === 'number' || type === 'boolean' ? type : 'string'
    const actual = typeof field.default
    if (actual !== expected) {
      problems.push(`${at}.default must be a ${expected}`)
    } else if (type === 'select' && !values.includes(field.default)) {
      problems.push(`${at}.default is not one of its options`)
    }
  }
  return problems
}

/**
 * Checks the `herald` manifest of a plugin's package.json: id, display name, kinds, SDK range (must accept
 * this SDK), network hosts and settings. `folderName`, when given, must equal the id. Returns problems.
 */
export function checkManifest(packageJson: unknown, folderName?: string): string[] {
  const manifest = isRecord(packageJson) ? packageJson[MANIFEST_KEY] : undefined
  if (!isRecord(manifest))
    return [`package.json has no "${MANIFEST_KEY}" object; add the plugin manifest under it`]
  const problems: string[] = []
  const id = manifest.id
  if (typeof id !== 'string' || !ID.test(id))
    problems.push(`${MANIFEST_KEY}.id must be kebab-case, e.g. 'my-plugin'`)
  else if (folderName !== undefined && id !== folderName) {
    problems.push(`${MANIFEST_KEY}.id '${id}' must equal the folder name '${folderName}'`)
  }
  if (typeof manifest.displayName !== 'string' || manifest.displayName.trim() === '') {
    problems.push(`${MANIFEST_KEY}.displayName must be a non-empty string`)
  }
  const kinds = manifest.kinds
  if (!Array.isArray(kinds) || kinds.length === 0 || !kinds.every(isPluginKind)) {
    problems.push(`${MANIFEST_KEY}.kinds must list one or more of ${PLUGIN_KINDS.join(', ')}`)
  } else if (new Set(kinds).size !== kinds.length)
    problems.push(`${MANIFEST_KEY}.kinds lists a kind twice`)
  const sdk = manifest.sdk
  const satisfied = typeof sdk === 'string' ? satisfiesRange(SDK_VERSION, sdk) : undefined
  if (satisfied === undefined)
    problems.push(`${MANIFEST_KEY}.sdk must be a semver range such as '^1.0.0'`)
  else if (!satisfied)
    problems.push(`${MANIFEST_KEY}.sdk '${String(sdk)}' does not accept SDK ${SDK_VERSION}`)
  const hosts = isRecord(manifest.network) ? manifest.network.hosts : undefined
  if (
    !Array.isArray(hosts) ||
    !hosts.every((host) => typeof host === 'string' && HOST.test(host))
  ) {
    problems.push(
      `${MANIFEST_KEY}.network.hosts must list bare host names such as 'api.example.com' (may be empty)`
    )
  }
  const settings = manifest.settings
  if (!Array.isArray(settings))
    problems.push(`${MANIFEST_KEY}.settings must be a list (may be empty)`)
  else {
    const seen = new Set<string>()
    settings.forEach((field, index) => problems.push(...checkSetting(field, index, seen)))
  }
  return problems
}

/** The manifest of a package.json when it passes {@link checkManifest}, else undefined. */
export function readManifest(packageJson: unknown): PluginManifest | undefined {
  if (checkManifest(packageJson).length > 0) return undefined
  return (packageJson as Record<string, unknown>)[MANIFEST_KEY] as PluginManifest
}

/**
 * The usable parts of a manifest even when it has problems (unknown kinds, bad settings and hosts are
 * dropped), so later checks still run; undefined when package.json has no manifest at all.
 */
export function looseManifest(packageJson: unknown): PluginManifest | undefined {
  const manifest = isRecord(packageJson) ? packageJson[MANIFEST_KEY] : undefined
  if (!isRecord(manifest)) return undefined
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
  const hosts = isRecord(manifest.network) ? list(manifest.network.hosts) : []
  return {
    id: typeof manifest.id === 'string' ? manifest.id : '',
    displayName: typeof manifest.displayName === 'string' ? manifest.displayName : '',
    sdk: typeof manifest.sdk === 'string' ? manifest.sdk : '',
    kinds: [...new Set(list(manifest.kinds).filter(isPluginKind))],
    network: { hosts: hosts.filter((host): host is string => typeof host === 'string') },
    settings: list(manifest.settings).filter(
      (field): field is SettingField => isRecord(field) && typeof field.name === 'string'
    ),
  }
}
