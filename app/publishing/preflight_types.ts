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
