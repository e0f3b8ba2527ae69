/**
 * A problem found before a target's time (token expiring first, scopes
 * missing, media Instagram cannot fetch...). A blocking one stops the target
 * at its time with this message; the others are warnings.
 */
export interface PreflightIssue {
  code: string
  message: string
  blocking: boolean
}

/**
 * Codes a reconnect of the account fixes (token expiring, permissions
 * missing): a target they block waits at `needs_reconnect`, and reconnecting
 * re-checks and sends it.
 */
export const RECONNECT_CODES: readonly string[] = ['token_expires', 'scopes_missing']
