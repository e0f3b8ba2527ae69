import { inspect } from 'node:util'
import { isPluginError } from '../../errors.js'

/** How a promise ended within a deadline. */
export type Settled =
  | { status: 'resolved'; value: unknown; ms: number }
  | { status: 'rejected'; error: unknown; ms: number }
  | { status: 'pending'; ms: number }

/** Waits for a promise, at most `withinMs`. */
export async function settle(promise: Promise<unknown>, withinMs: number): Promise<Settled> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending', ms: elapsed() }), withinMs)
  })
  const outcome = promise.then(
    (value): Settled => ({ status: 'resolved', value, ms: elapsed() }),
    (error: unknown): Settled => ({ status: 'rejected', error, ms: elapsed() })
  )
  try {
    return await Promise.race([outcome, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Short description of a thrown value for failure messages. */
export function describeError(error: unknown): string {
  if (isPluginError(error)) return `${error.kind} (${error.message})`
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return inspect(error)
}

/** Problems when a thrown error's message, JSON or causes contain a secret value. */
export function secretsInError(error: unknown, secrets: readonly string[] = []): string[] {
  const rendered = [
    inspect(error, { depth: 6, breakLength: Infinity, maxStringLength: null }),
    isPluginError(error) ? JSON.stringify(error.toJSON()) : '',
  ].join('\n')
  return secrets
    .filter((secret) => rendered.includes(secret))
    .map(() => `the error ${describeError(error).slice(0, 80)} contains a secret setting value`)
}
