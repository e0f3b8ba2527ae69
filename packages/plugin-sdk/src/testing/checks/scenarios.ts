import { isPluginError } from '../../errors.js'
import type { ActScenario, CheckOptions, ContextFactory, ErrorScenario } from '../types.js'
import { describeError, secretsInError, settle } from './settle.js'

/** Runs an error-mapping scenario: the act must reject with the expected SDK error kind. */
export async function checkErrorScenario<S>(
  scenario: ErrorScenario<S>,
  context: ContextFactory<S>,
  options: CheckOptions = {}
): Promise<string[]> {
  await scenario.arrange()
  const outcome = await settle(scenario.act(context()), options.withinMs ?? 5000)
  const label = `[${scenario.name}]`
  if (outcome.status === 'pending') return [`${label} still pending after ${outcome.ms} ms`]
  if (outcome.status === 'resolved')
    return [`${label} resolved; expected it to reject with ${scenario.expect}`]
  if (!isPluginError(outcome.error)) {
    return [
      `${label} rejected with ${describeError(outcome.error)}; map it to the SDK error ${scenario.expect}`,
    ]
  }
  const problems = secretsInError(outcome.error, options.secrets).map(
    (problem) => `${label} ${problem}`
  )
  if (outcome.error.kind !== scenario.expect) {
    problems.unshift(
      `${label} rejected with ${describeError(outcome.error)}; expected ${scenario.expect}`
    )
  }
  return problems
}

/** Options of {@link checkCancellation}. */
export interface CancellationOptions {
  /** Delay before aborting, so the call is in flight (default 100 ms). */
  abortAfterMs?: number
  /** Time allowed between the abort and the rejection (default 2000 ms). */
  withinMs?: number
}

/**
 * Starts the act with a fresh signal, aborts it after `abortAfterMs`, and expects a rejection within
 * `withinMs` of the abort. `arrange` should make the fake hang so the call is still in flight.
 */
/**
 * For calls without slow I/O to interrupt: a signal aborted before the call
 * starts must make it reject (within 2 s) instead of doing the work.
 */
export async function checkCancelledBeforeStart<S>(
  scenario: ActScenario<S>,
  context: ContextFactory<S>,
  options: CancellationOptions = {}
): Promise<string[]> {
  const withinMs = options.withinMs ?? 2000
  const label = scenario.name ? `[${scenario.name}] ` : ''
  await scenario.arrange?.()
  const controller = new AbortController()
  controller.abort()
  const outcome = await settle(scenario.act(context(controller.signal)), withinMs)
  if (outcome.status === 'pending') {
    return [`${label}the call did not reject within ${withinMs} ms; check ctx.signal first`]
  }
  if (outcome.status === 'resolved') {
    return [
      `${label}the call resolved with an aborted signal; it must reject without doing the work`,
    ]
  }
  return []
}

export async function checkCancellation<S>(
  scenario: ActScenario<S>,
  context: ContextFactory<S>,
  options: CancellationOptions = {}
): Promise<string[]> {
  const abortAfterMs = options.abortAfterMs ?? 100
  const withinMs = options.withinMs ?? 2000
  const label = scenario.name ? `[${scenario.name}] ` : ''
  await scenario.arrange?.()
  const controller = new AbortController()
  const running = scenario.act(context(controller.signal))
  const early = await settle(running, abortAfterMs)
  if (early.status !== 'pending') {
    const how =
      early.status === 'resolved' ? 'resolved' : `rejected with ${describeError(early.error)}`
    return [
      `${label}the call ${how} before it was aborted; make arrange() hold the fake's response`,
    ]
  }
  controller.abort()
  const outcome = await settle(running, withinMs)
  if (outcome.status === 'pending') {
    return [
      `${label}the call did not reject within ${withinMs} ms of the abort; pass ctx.signal along`,
    ]
  }
  if (outcome.status === 'resolved')
    return [`${label}the call resolved after the abort; it must reject`]
  return []
}
