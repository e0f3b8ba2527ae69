import type { PluginContext } from '../context.js'
import type { FindPublishedInput, PublishInput } from '../contracts/publisher.js'
import type { PluginErrorKind } from '../errors.js'

/** Builds a fresh context for one call; `signal` replaces the default never-aborting one. */
export type ContextFactory<S> = (signal?: AbortSignal) => PluginContext<S>

/** A call to make against the plugin, after putting its fake in some state. */
export interface ActScenario<S> {
  /** Label shown in failures. */
  name?: string
  /** Puts the fake in the state the scenario needs (a fault, a hang, a stored post). */
  arrange?: () => Promise<void>
  /** Calls the plugin. */
  act: (ctx: PluginContext<S>) => Promise<unknown>
}

/** An error-mapping scenario: with the fake faulted, the act must reject with this SDK error kind. */
export interface ErrorScenario<S> extends ActScenario<S> {
  /** Label of the test, e.g. `429 maps to RateLimited`. */
  name: string
  /** Sets the fault on the fake. */
  arrange: () => Promise<void>
  /** The kind the plugin must throw. */
  expect: PluginErrorKind
}

/** A fault after which the outcome of a publish is unknown: the fake accepts the request then hangs or drops it. */
export interface UnknownOutcomeScenario {
  /** Label, e.g. `hang after create` or `drop after create`. */
  name: string
  /** Makes the fake accept the creating request and then hang, or close the connection. */
  arrange: () => Promise<void>
}

/** The fake already holds a post; `findPublished` must find it. */
export interface FindPublishedScenario {
  /** Stores the post in the fake. */
  arrange: () => Promise<void>
  /** What to look for. */
  input: FindPublishedInput
  /** The post it must find. */
  expect: { externalId: string }
}

/** Scenarios every publisher supplies. */
export interface PublisherScenarios {
  /** A valid publish request that the healthy fake accepts. */
  input: PublishInput
  /** At least one fault after which the outcome is unknown (ideally a hang and a drop). */
  unknownOutcome: UnknownOutcomeScenario[]
  /** Required when the publisher implements `findPublished`. */
  findPublished?: FindPublishedScenario
}

/** Options shared by the check functions. */
export interface CheckOptions {
  /** Secret values that must not appear in thrown errors. */
  secrets?: readonly string[]
  /** How long a call may take before it counts as hanging, in ms (default 5000). */
  withinMs?: number
}
