import type { PluginKinds } from './define_plugin.js'
import type { PluginKind } from './versions.js'

type Contract<K extends PluginKind> = NonNullable<PluginKinds[K]>

/** Names of the function members of a kind's contract. */
export type MethodName<K extends PluginKind> = {
  [M in keyof Contract<K>]-?: NonNullable<Contract<K>[M]> extends (...args: never[]) => unknown
    ? M
    : never
}[keyof Contract<K>] &
  string

/** Methods each kind must implement; the host refuses a plugin missing one. */
export const REQUIRED_METHODS: { readonly [K in PluginKind]: readonly MethodName<K>[] } = {
  'ai-text': ['listModels', 'generateText'],
  'ai-image': ['listModels', 'generateImage'],
  'publisher': ['fetchProfile', 'validate', 'publish'],
  'media-storage': ['put', 'delete', 'publicUrl'],
}

/** Methods each kind may implement; when present they must be functions. */
export const OPTIONAL_METHODS: { readonly [K in PluginKind]: readonly MethodName<K>[] } = {
  'ai-text': ['streamText'],
  'ai-image': [],
  'publisher': ['fetchAccounts', 'refresh', 'findPublished', 'revoke', 'checkCredentials'],
  'media-storage': [],
}

/** Names of the data members of a kind's contract, besides `contract`. */
export type DataName<K extends PluginKind> = Exclude<
  keyof Contract<K> & string,
  MethodName<K> | 'contract'
>

/** Data members each kind must carry besides `contract`. */
export const REQUIRED_DATA: { readonly [K in PluginKind]: readonly DataName<K>[] } = {
  'ai-text': [],
  'ai-image': [],
  'publisher': ['limits', 'preview', 'oauth'],
  'media-storage': [],
}
