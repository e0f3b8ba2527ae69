import vine, { errors as vineErrors } from '@vinejs/vine'
import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'
import semver from 'semver'
import {
  MANIFEST_KEY,
  PLUGIN_KINDS,
  SDK_VERSION,
  type PluginManifest,
  type SettingField,
} from '@herald/plugin-sdk'

/** One thing wrong with a plugin, in words an author can act on. */
export interface PluginProblem {
  /** Plugin id, or the folder/package name when the id is unknown. */
  plugin: string
  /** File or module the problem is in, relative to the app root when possible. */
  file: string
  /** Offending field, e.g. `herald.settings[1].type`; absent for problems with the code. */
  field?: string
  /** What is wrong. */
  message: string
  /** How to fix it. */
  fix?: string
}

/** `Plugin "x" (plugins/x/package.json), herald.kinds[0]: ... Fix: ...` */
export function describeProblem(problem: PluginProblem): string {
  const field = problem.field ? `, ${problem.field}` : ''
  const fix = problem.fix ? ` Fix: ${problem.fix}.` : ''
  return `Plugin "${problem.plugin}" (${problem.file})${field}: ${problem.message}.${fix}`
}

export const PLUGIN_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
const SETTING_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/
const HOST =
  /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/
const SETTING_TYPES = ['string', 'url', 'number', 'boolean', 'select'] as const

/** The folder name must be the id (plugins from folders only). */
const matchesFolder = vine.createRule(
  (value, _options, field) => {
    const folder = (field.meta as { folder?: string }).folder
    if (typeof value === 'string' && folder !== undefined && value !== folder) {
      field.report(`is "${value}" but the folder is "${folder}"`, 'folder', field)
    }
  },
  { name: 'folder' }
)

/** The SDK range must be valid semver and accept the SDK the host runs. */
const acceptsSdk = vine.createRule(
  (value, _options, field) => {
    if (typeof value !== 'string') return
    if (semver.validRange(value) === null) {
      field.report(`"${value}" is not a semver range`, 'semverRange', field)
    } else if (!semver.satisfies(SDK_VERSION, value)) {
      field.report(`"${value}" does not accept SDK ${SDK_VERSION}`, 'sdkVersion', field)
    }
  },
  { name: 'sdk' }
)

const settingSchema = vine.object({
  name: vine.string().regex(SETTING_NAME),
  type: vine.enum(SETTING_TYPES),
  label: vine.string().trim().minLength(1).maxLength(120),
  required: vine.boolean({ strict: true }).optional(),
  secret: vine.boolean({ strict: true }).optional(),
  env: vine.string().regex(ENV_NAME).optional(),
  default: vine.any().optional(),
  options: vine
    .array(vine.object({ value: vine.string(), label: vine.string().minLength(1) }))
    .minLength(1)
    .optional(),
  help: vine.string().maxLength(300).optional(),
})

const manifestValidator = vine.create(
  vine.object({
    id: vine.string().regex(PLUGIN_ID).maxLength(40).use(matchesFolder()),
    displayName: vine.string().trim().minLength(1).maxLength(80),
    kinds: vine.array(vine.enum(PLUGIN_KINDS)).minLength(1),
    sdk: vine.string().use(acceptsSdk()),
    network: vine.object({ hosts: vine.array(vine.string().regex(HOST)) }),
    settings: vine.array(settingSchema),
  })
)

/** Text and fix per wildcard path and rule; `*` matches any rule. */
const HINTS: Record<string, { message: string; fix: string }> = {
  'id.*': {
    message: 'must be kebab-case (lowercase letters, digits and dashes), at most 40 characters',
    fix: 'use an id such as "my-plugin"',
  },
  'id.folder': { message: '', fix: 'rename the folder or the id so they are equal' },
  'displayName.*': {
    message: 'must be a name of 1 to 80 characters',
    fix: 'set "displayName", e.g. "My Plugin"',
  },
  'kinds.*': {
    message: 'must list one or more kinds, each once',
    fix: `use kinds from ${PLUGIN_KINDS.join(', ')}`,
  },
  'kinds.*.*': {
    message: 'is not a plugin kind',
    fix: `use one of ${PLUGIN_KINDS.join(', ')}`,
  },
  'sdk.*': { message: 'must be a semver range', fix: `set "sdk" to "^${SDK_VERSION}"` },
  'sdk.semverRange': { message: '', fix: `set "sdk" to "^${SDK_VERSION}"` },
  'sdk.sdkVersion': {
    message: '',
    fix: `target SDK ${SDK_VERSION} (e.g. "^${semver.major(SDK_VERSION)}.0.0") and update the plugin to it`,
  },
  'network.*': {
    message: 'must be an object with a "hosts" list',
    fix: 'add "network": { "hosts": ["api.example.com"] } (an empty list when the plugin makes no HTTP calls)',
  },
  'network.hosts.*': {
    message: 'must be a list of host names',
    fix: 'list host names such as "api.example.com" (an empty list is fine)',
  },
  'network.hosts.*.*': {
    message: 'is not a bare host name',
    fix: 'write the host only, e.g. "api.example.com" or "*.example.com", without scheme or path',
  },
  'settings.*': {
    message: 'must be a list of setting fields with unique names',
    fix: 'add "settings": [] or give every setting its own "name"',
  },
  'settings.*.*': {
    message: 'must be an object with name, type and label',
    fix: 'write { "name": "apiKey", "type": "string", "label": "API key" }',
  },
  'settings.*.name.*': {
    message: 'must be a camelCase identifier',
    fix: 'use a name such as "apiKey"',
  },
  'settings.*.type.*': {
    message: `must be one of ${SETTING_TYPES.join(', ')}`,
    fix: 'use "string" for secrets too, with "secret": true',
  },
  'settings.*.label.*': { message: 'must be a short text', fix: 'add a "label" people understand' },
  'settings.*.required.*': { message: 'must be true or false', fix: 'write true or false' },
  'settings.*.secret.*': { message: 'must be true or false', fix: 'write true or false' },
  'settings.*.env.*': {
    message: 'must be an UPPER_SNAKE_CASE variable name',
    fix: 'use a name such as "EXAMPLE_API_KEY"',
  },
  'settings.*.options.*': {
    message: 'must list { "value", "label" } choices',
    fix: 'add at least one choice',
  },
  'settings.*.options.*.*': {
    message: 'must be a { "value", "label" } choice',
    fix: 'write { "value": "a", "label": "A" }',
  },
  'settings.*.options.*.value.*': { message: 'must be text', fix: 'quote the value' },
  'settings.*.options.*.label.*': { message: 'must be text', fix: 'add a label' },
  'settings.*.help.*': { message: 'must be one line of text', fix: 'shorten the help text' },
}

const RULE_WORDS: Record<string, string> = {
  required: 'is missing',
  object: 'must be an object',
  array: 'must be a list',
  string: 'must be text',
  boolean: 'must be true or false',
  distinct: 'has duplicates',
}

/** Renders VineJS errors as `message|fix` so the caller can split them into a problem. */
class ManifestMessages implements MessagesProviderContact {
  getMessage(raw: string, rule: string, field: FieldContext): string {
    const path = field
      .getFieldPath()
      .split('.')
      .map((part) => (/^\d+$/.test(part) ? '*' : part))
      .join('.')
    const hint = HINTS[`${path}.${rule}`] ?? HINTS[`${path}.*`]
    const custom = ['folder', 'semverRange', 'sdkVersion'].includes(rule) ? raw : undefined
    const message =
      custom ??
      (rule === 'required' ? RULE_WORDS.required : hint?.message) ??
      RULE_WORDS[rule] ??
      raw
    return `${message}|${hint?.fix ?? ''}`
  }
}

/** `settings.0.type` -> `herald.settings[0].type` */
function fieldPath(path: string): string {
  return `${MANIFEST_KEY}.${path}`.replace(/\.(\d+)(?=\.|$)/g, '[$1]')
}

/** Checks a setting beyond its shape: select options, secret defaults, default types. */
function settingProblems(field: SettingField, index: number) {
  const at = `${MANIFEST_KEY}.settings[${index}]`
  const problems: { field: string; message: string; fix: string }[] = []
  const values = (field.options ?? []).map((option) => option.value)
  if (field.type === 'select' && values.length === 0) {
    problems.push({
      field: `${at}.options`,
      message: 'is missing for a select',
      fix: 'list the choices as [{ "value": "a", "label": "A" }]',
    })
  }
  if (field.default === undefined) return problems
  if (field.secret) {
    problems.push({
      field: `${at}.default`,
      message: 'is set on a secret',
      fix: 'remove the default; secrets come from the admin page or the environment',
    })
  }
  const expected = field.type === 'number' || field.type === 'boolean' ? field.type : 'string'
  const actual: string = typeof field.default
  if (actual !== expected) {
    problems.push({
      field: `${at}.default`,
      message: `must be a ${expected} for a ${field.type} setting`,
      fix: `write a ${expected} value`,
    })
  } else if (field.type === 'select' && !values.includes(field.default as string)) {
    problems.push({
      field: `${at}.default`,
      message: `"${String(field.default)}" is not one of the options`,
      fix: `use one of ${values.join(', ')}`,
    })
  } else if (field.type === 'url' && !URL.canParse(String(field.default))) {
    problems.push({
      field: `${at}.default`,
      message: 'is not an absolute URL',
      fix: 'write it as https://host/path',
    })
  }
  return problems
}

/** Kinds and setting names declared twice (checked apart so other field errors still show). */
function duplicateProblems(raw: Record<string, unknown>) {
  const problems: { field: string; message: string; fix: string }[] = []
  const seen = (values: unknown[], at: (index: number) => string, what: string) => {
    const first = new Map<unknown, number>()
    values.forEach((value, index) => {
      if (value === undefined) return
      if (first.has(value)) {
        problems.push({
          field: at(index),
          message: `repeats ${what} "${String(value)}"`,
          fix: `remove the duplicate of ${at(first.get(value)!)}`,
        })
      } else first.set(value, index)
    })
  }
  if (Array.isArray(raw.kinds))
    seen(raw.kinds, (index) => `${MANIFEST_KEY}.kinds[${index}]`, 'the kind')
  if (Array.isArray(raw.settings)) {
    seen(
      raw.settings.map((field) => (field as { name?: unknown } | null)?.name),
      (index) => `${MANIFEST_KEY}.settings[${index}].name`,
      'the setting name'
    )
  }
  return problems
}

/** Result of {@link validateManifest}. */
export type ManifestResult =
  { ok: true; manifest: PluginManifest } | { ok: false; problems: PluginProblem[] }

/**
 * Validates the `herald` manifest of a plugin's package.json. `folder` (local plugins) must equal the id.
 * Every problem names the plugin, the file, the field and the fix.
 */
export async function validateManifest(
  packageJson: unknown,
  source: { file: string; folder?: string; name: string }
): Promise<ManifestResult> {
  const raw =
    typeof packageJson === 'object' && packageJson !== null
      ? (packageJson as Record<string, unknown>)[MANIFEST_KEY]
      : undefined
  const plugin =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? String((raw as { id: string }).id)
      : source.name
  const problem = (field: string | undefined, message: string, fix?: string): PluginProblem => ({
    plugin,
    file: source.file,
    field,
    message,
    fix,
  })

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      problems: [
        problem(
          MANIFEST_KEY,
          'is missing',
          `add a "${MANIFEST_KEY}" object with id, displayName, kinds, sdk, network and settings (see docs/plugins.md)`
        ),
      ],
    }
  }

  const duplicates = duplicateProblems(raw as Record<string, unknown>).map((entry) =>
    problem(entry.field, entry.message, entry.fix)
  )
  const [error, manifest] = await manifestValidator.tryValidate(raw, {
    meta: { folder: source.folder },
    messagesProvider: new ManifestMessages(),
  })
  if (error) {
    if (!(error instanceof vineErrors.E_VALIDATION_ERROR)) throw error
    const messages = error.messages as { field: string; message: string }[]
    return {
      ok: false,
      problems: [
        ...messages.map((entry) => {
          const [message, fix] = entry.message.split('|')
          return problem(fieldPath(entry.field), message, fix || undefined)
        }),
        ...duplicates,
      ],
    }
  }

  const settings = manifest.settings as SettingField[]
  const extra = [
    ...duplicates,
    ...settings
      .flatMap((field, index) => settingProblems(field, index))
      .map((entry) => problem(entry.field, entry.message, entry.fix)),
  ]
  if (extra.length > 0) {
    return { ok: false, problems: extra }
  }
  return { ok: true, manifest: { ...manifest, settings } as PluginManifest }
}
