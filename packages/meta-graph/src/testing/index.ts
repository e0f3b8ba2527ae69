import {
  type AuthExpired,
  isPluginError,
  type Permanent,
  type RateLimited,
  type Transient,
  type Unknown,
} from '@herald/plugin-sdk'

export * from './fake_meta.js'

/** The error classes by kind, for {@link pluginError}. */
export interface ErrorOf {
  RateLimited: RateLimited
  Transient: Transient
  AuthExpired: AuthExpired
  Permanent: Permanent
  Unknown: Unknown
}

/** The plugin error a promise rejects with; fails when it resolves or rejects with another kind. */
export async function pluginError<K extends keyof ErrorOf>(
  promise: Promise<unknown>,
  kind: K
): Promise<ErrorOf[K]> {
  let error: unknown
  try {
    await promise
  } catch (caught) {
    error = caught
  }
  if (error === undefined) throw new Error(`expected ${kind}, the call resolved`)
  if (!isPluginError(error))
    throw new Error(`expected a ${kind} plugin error, got ${String(error)}`)
  if (error.kind !== kind) throw new Error(`expected ${kind}, got ${error.kind}: ${error.message}`)
  return error as unknown as ErrorOf[K]
}
