/** Version of this SDK; plugin manifests declare a semver range (`sdk`) it must satisfy. */
export const SDK_VERSION = '1.4.0'

/** The kinds of capability a plugin can provide. */
export const PLUGIN_KINDS = ['ai-text', 'ai-image', 'publisher', 'media-storage'] as const

/** One capability a plugin can provide. */
export type PluginKind = (typeof PLUGIN_KINDS)[number]

/** The contract version literal each kind must carry in its `contract` field. */
export const CONTRACT_VERSIONS = {
  'ai-text': 'ai-text/1',
  'ai-image': 'ai-image/1',
  'publisher': 'publisher/1',
  'media-storage': 'media-storage/1',
} as const satisfies Record<PluginKind, `${PluginKind}/${number}`>

/** The contract version literal of a kind, e.g. `'publisher/1'`. */
export type ContractVersion<K extends PluginKind = PluginKind> = (typeof CONTRACT_VERSIONS)[K]

/** Whether a value is one of the known plugin kinds. */
export function isPluginKind(value: unknown): value is PluginKind {
  return typeof value === 'string' && (PLUGIN_KINDS as readonly string[]).includes(value)
}
