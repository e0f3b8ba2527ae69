import {
  isPluginError,
  type AuthExpired,
  type Permanent,
  type RateLimited,
  type Transient,
  type Unknown,
} from '../errors.js'

/** SDK error classes by kind. */
export interface PluginErrorOf {
  RateLimited: RateLimited
  Transient: Transient
  AuthExpired: AuthExpired
  Permanent: Permanent
  Unknown: Unknown
}

/**
 * The plugin error a promise rejects with. Throws (failing the test) when the promise resolves,
 * rejects with something that is not a plugin error, or with another kind.
 */
export async function expectPluginError<K extends keyof PluginErrorOf>(
  promise: Promise<unknown>,
  kind: K
): Promise<PluginErrorOf[K]> {
  let error: unknown
  let rejected = false
  try {
    await promise
  } catch (caught) {
    error = caught
    rejected = true
  }
  if (!rejected) throw new Error(`expected ${kind}, the call resolved`)
  if (!isPluginError(error))
    throw new Error(`expected a ${kind} plugin error, got ${String(error)}`)
  if (error.kind !== kind) throw new Error(`expected ${kind}, got ${error.kind}: ${error.message}`)
  return error as unknown as PluginErrorOf[K]
}
