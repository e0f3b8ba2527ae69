import { isPluginError } from '@herald/plugin-sdk'
import { PluginNotConfiguredError } from '#plugin_host/context_factory'

/** How a generation that did not succeed ends in the ledger */
export interface FailureOutcome {
  status: 'failed' | 'refused' | 'cancelled'
  /** In words a person understands */
  message: string
}

/** The SDK convention for moderation: a Permanent error with code `moderation` */
export const MODERATION_CODE = 'moderation'

function isTimeout(error: unknown) {
  return error instanceof Error && error.name === 'TimeoutError'
}

/**
 * The ledger status and message of a failed call. `cancelled`: the person
 * stopped it (closed the stream). A moderation refusal is `refused`, shown
 * as such; everything else is `failed` with the provider's words.
 */
export function describeFailure(
  error: unknown,
  context: { cancelled?: boolean; timeoutMs: number; attempts?: number; now?: Date }
): FailureOutcome {
  if (context.cancelled) {
    return { status: 'cancelled', message: 'Stopped before it finished.' }
  }
  if (isTimeout(error)) {
    return {
      status: 'failed',
      message: `The provider took longer than ${Math.round(context.timeoutMs / 1000)} s, so Herald stopped waiting. Try again, or choose a faster model.`,
    }
  }
  if (error instanceof PluginNotConfiguredError) {
    return { status: 'failed', message: error.message }
  }
  if (isPluginError(error)) {
    const json = error.toJSON()
    if (json.kind === 'Permanent') {
      return {
        status: json.code === MODERATION_CODE ? 'refused' : 'failed',
        message: json.userMessage ?? json.message,
      }
    }
    if (json.kind === 'RateLimited' && json.resetAt) {
      const wait = Math.max(
        1,
        Math.ceil((Date.parse(json.resetAt) - (context.now ?? new Date()).getTime()) / 60_000)
      )
      return {
        status: 'failed',
        message: `The provider's rate limit is reached; try again in ${wait} minute${wait === 1 ? '' : 's'}.`,
      }
    }
    const tries =
      context.attempts && context.attempts > 1 ? ` (tried ${context.attempts} times)` : ''
    return { status: 'failed', message: `${json.message}${tries}` }
  }
  return { status: 'failed', message: 'Something went wrong while generating. Try again.' }
}
