import { isPluginError, type PluginError, type PublishedPart } from '@herald/plugin-sdk'
import { DateTime } from 'luxon'
import publishingConfig from '#config/publishing'
import { retryDelayMs } from '#publishing/backoff'

/** What one attempt ended with; recorded on the target and its attempt row */
export type Outcome =
  | { status: 'published'; externalId: string; url: string; parts: PublishedPart[] }
  | {
      status: 'retrying'
      /** `rate_limited` waits for the platform's reset and spends no attempt of the budget */
      reason: 'rate_limited' | 'transient'
      dueAt: Date
      message: string
      detail?: string
      errorKind: string
      parts?: PublishedPart[]
    }
  | {
      status: 'failed' | 'needs_reconnect' | 'unknown'
      message: string
      detail?: string
      errorKind: string
      parts?: PublishedPart[]
    }

/** What the mapping needs to know besides the error */
export interface OutcomeContext {
  /** The network's name, e.g. "X (Twitter)" */
  platform: string
  /** Temporary failures of this target so far, this one included */
  transientFailures: number
  /** Whether the creating request of this attempt had left when the error happened */
  requestSent: boolean
  now: Date
}

/** The time of day a retry happens, for messages (the UI shows it in the workspace timezone too) */
function at(date: Date) {
  return DateTime.fromJSDate(date).toUTC().toFormat("HH:mm 'UTC'")
}

/**
 * Maps a failure to what happens next (docs/architecture.md §4):
 * RateLimited waits for the reset, Transient retries with backoff up to the
 * attempt budget, AuthExpired asks for a reconnect (the caller already tried
 * one refresh), Permanent fails with the platform's reason in words, Unknown
 * is never retried blindly. A failure that is not a plugin error is unknown
 * when the creating request had left, and temporary otherwise.
 */
export function outcomeOfError(error: unknown, context: OutcomeContext): Outcome {
  const parts = isPluginError(error) ? error.publishedParts : undefined
  if (!isPluginError(error)) {
    const text = error instanceof Error ? error.message : String(error)
    if (context.requestSent) {
      return {
        status: 'unknown',
        message: `Herald lost track of the post after sending it to ${context.platform} (${text}). It may be live: check the account, then mark it published or publish it again.`,
        errorKind: 'Unknown',
        parts,
      }
    }
    return transient(context, `Herald could not reach ${context.platform}: ${text}`, 'Error', parts)
  }
  return outcomeOfPluginError(error, context, parts)
}

function outcomeOfPluginError(
  error: PluginError,
  context: OutcomeContext,
  parts?: PublishedPart[]
): Outcome {
  switch (error.kind) {
    case 'RateLimited': {
      const resetAt = (error as PluginError & { resetAt: Date }).resetAt
      // One second past the reset, so the first request never lands before it.
      const dueAt = new Date(Math.max(resetAt.getTime(), context.now.getTime()) + 1000)
      return {
        status: 'retrying',
        reason: 'rate_limited',
        dueAt,
        message: `${context.platform} rate limit reached. Herald waits for it to reset and tries again at ${at(dueAt)}.`,
        detail: error.message,
        errorKind: 'RateLimited',
        parts,
      }
    }
    case 'Transient': {
      const retryAfterMs = (error as PluginError & { retryAfterMs?: number }).retryAfterMs
      return transient(
        context,
        `${context.platform} had a temporary problem: ${error.message}`,
        'Transient',
        parts,
        retryAfterMs
      )
    }
    case 'AuthExpired':
      return {
        status: 'needs_reconnect',
        message: `${context.platform} no longer accepts Herald's access to this account. Reconnect it on the Accounts page, then retry.`,
        detail: error.message,
        errorKind: 'AuthExpired',
        parts,
      }
    case 'Permanent': {
      const permanent = error as PluginError & {
        userMessage: string
        platformMessage?: string
        code?: string
      }
      const detail = [permanent.code && `code ${permanent.code}`, permanent.platformMessage]
        .filter(Boolean)
        .join(': ')
      return {
        status: 'failed',
        message: permanent.userMessage,
        detail: detail || undefined,
        errorKind: 'Permanent',
        parts,
      }
    }
    case 'Unknown':
      return {
        status: 'unknown',
        message: `${context.platform} did not confirm the post: it may be live. Herald checks the account; if it cannot tell, you decide.`,
        detail: error.message,
        errorKind: 'Unknown',
        parts,
      }
  }
}

function transient(
  context: OutcomeContext,
  message: string,
  errorKind: string,
  parts?: PublishedPart[],
  retryAfterMs?: number
): Outcome {
  if (context.transientFailures >= publishingConfig.maxAttempts) {
    return {
      status: 'failed',
      message: `Herald gave up after ${context.transientFailures} attempts. Last problem: ${message.replace(/\.+$/, '')}.`,
      errorKind,
      parts,
    }
  }
  const dueAt = new Date(
    context.now.getTime() + retryDelayMs(context.transientFailures, retryAfterMs)
  )
  return {
    status: 'retrying',
    reason: 'transient',
    dueAt,
    message: `${message.replace(/\.+$/, '')}. Herald tries again at ${at(dueAt)} (attempt ${context.transientFailures + 1} of ${publishingConfig.maxAttempts}).`,
    errorKind,
    parts,
  }
}
