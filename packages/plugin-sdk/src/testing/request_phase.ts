import { AsyncLocalStorage } from 'node:async_hooks'
import { subscribe } from 'node:diagnostics_channel'
import type { RequestPhase } from '../http_errors.js'

/** Progress of one fetch call, fed by undici's diagnostics channels (Node's built-in fetch). */
export interface PhaseTracker {
  /** Undici created a request for this call (false for fetch implementations that are not undici). */
  observed: boolean
  /** The whole request (headers and body) was written to the socket. */
  sent: boolean
}

const current = new AsyncLocalStorage<PhaseTracker>()
const byRequest = new WeakMap<object, PhaseTracker>()
let subscribed = false

function requestOf(message: unknown): object | undefined {
  if (typeof message !== 'object' || message === null) return undefined
  const request = (message as { request?: unknown }).request
  return typeof request === 'object' && request !== null ? request : undefined
}

function listen(): void {
  if (subscribed) return
  subscribed = true
  subscribe('undici:request:create', (message) => {
    const tracker = current.getStore()
    const request = requestOf(message)
    if (tracker && request) {
      tracker.observed = true
      byRequest.set(request, tracker)
    }
  })
  const markSent = (message: unknown) => {
    const request = requestOf(message)
    const tracker = request && byRequest.get(request)
    if (tracker) tracker.sent = true
  }
  subscribe('undici:request:bodySent', markSent)
  subscribe('undici:request:headers', markSent)
}

/** Runs a fetch call while recording how far its request gets. */
export function trackPhase<T>(call: () => Promise<T>): {
  tracker: PhaseTracker
  result: Promise<T>
} {
  listen()
  const tracker: PhaseTracker = { observed: false, sent: false }
  return { tracker, result: current.run(tracker, call) }
}

/** Error codes meaning the connection was never established. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** The error code of a fetch failure (`TypeError: fetch failed` wraps it in `cause`). */
export function errorCode(error: unknown): string | undefined {
  for (let value = error, depth = 0; value && depth < 4; depth++) {
    const code = (value as { code?: unknown }).code
    if (typeof code === 'string') return code
    value = (value as { cause?: unknown }).cause
  }
  return undefined
}

/** The phase of a failed request; unobserved requests count as sent, the safe assumption for publishers. */
export function phaseOf(tracker: PhaseTracker, error: unknown): RequestPhase {
  const code = errorCode(error)
  if (code !== undefined && CONNECT_CODES.has(code)) return 'connect'
  if (!tracker.observed) return 'response'
  return tracker.sent ? 'response' : 'connect'
}
