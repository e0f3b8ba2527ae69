import { readFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from '@japa/runner'
import type { PluginDefinition } from '../define_plugin.js'
import { inspectPlugin } from '../inspect_plugin.js'
import { createCapturingLogger } from './capturing_logger.js'
import type { RecordedRequest } from './fetch_http_client.js'
import { createTestContext } from './test_context.js'
import type { ActScenario, ContextFactory, ErrorScenario, PublisherScenarios } from './types.js'
import { checkManifest, looseManifest } from './checks/manifest.js'
import {
  checkCancellation,
  checkCancelledBeforeStart,
  checkErrorScenario,
} from './checks/scenarios.js'
import {
  checkFindPublished,
  checkPublish,
  checkUnknownOutcome,
  checkValidate,
} from './checks/publisher.js'
import { allowedHosts, checkHosts, checkSecretsNotLogged, secretValues } from './checks/hygiene.js'

/** Options of {@link pluginContractSuite}. */
export interface ContractSuiteOptions<S> {
  /** The plugin's default export. */
  plugin: PluginDefinition<S>
  /** The plugin's package.json, parsed, or its file URL (then the folder name must equal the id). */
  packageJson: URL | Record<string, unknown>
  /** Settings for the run, or a function returning them once `setup` has started the fake. */
  settings: S | (() => S)
  /** Starts the plugin's fake server. */
  setup?: () => Promise<void>
  /** Stops the fake server (close its open connections too). */
  teardown?: () => Promise<void>
  /** Resets the fake's faults and state before each test. */
  beforeEach?: () => Promise<void>
  /** Error-mapping scenarios: fault on the fake, call, expected SDK error kind. */
  errors?: ErrorScenario<S>[]
  /**
   * A call that is still in flight after 100 ms (arrange a hang); aborting must reject it within 2 s.
   * A plugin without slow I/O to hold (e.g. local disk storage) passes `{ alreadyAborted: scenario }`:
   * the call then gets a signal aborted before it starts and must reject without doing the work.
   */
  cancellation: ActScenario<S> | { alreadyAborted: ActScenario<S> }
  /** Required for publishers. */
  publisher?: PublisherScenarios
  /** Fetch implementation behind `ctx.http` (default the global fetch). */
  fetchImpl?: typeof fetch
  /** Default and ceiling of request timeouts in ms (default 2000). */
  timeoutMs?: number
}

/** A failed contract check; the message lists every problem found. */
export class ContractViolation extends Error {
  constructor(readonly problems: string[]) {
    super(`\n- ${problems.join('\n- ')}`)
    this.name = 'ContractViolation'
  }
}

function fail(problems: string[]): void {
  if (problems.length > 0) throw new ContractViolation(problems)
}

function loadPackageJson(source: URL | Record<string, unknown>): {
  json: unknown
  folder?: string
  error?: string
} {
  if (!(source instanceof URL)) return { json: source }
  const folder = basename(dirname(fileURLToPath(source)))
  try {
    return { json: JSON.parse(readFileSync(source, 'utf8')), folder }
  } catch (error) {
    return {
      json: undefined,
      folder,
      error: `cannot read ${source.href}: ${(error as Error).message}`,
    }
  }
}

/**
 * Registers a Japa group that checks a plugin against the SDK contract: manifest, kinds and methods, error
 * mapping, cancellation, hosts reached, no secret in logs and, for publishers, validate, publish, unknown
 * outcomes and findPublished. Call it at the top level of a spec file.
 */
export function pluginContractSuite<S>(options: ContractSuiteOptions<S>): void {
  const { json, folder, error: loadError } = loadPackageJson(options.packageJson)
  const manifest = looseManifest(json)
  const noManifest = ['package.json has no herald manifest']
  const title = `plugin contract: ${manifest?.id || folder || 'plugin'}`
  const log = createCapturingLogger()
  const requests: RecordedRequest[] = []
  const settings = (): S =>
    typeof options.settings === 'function' ? (options.settings as () => S)() : options.settings
  const context: ContextFactory<S> = (signal) =>
    createTestContext({
      settings: settings(),
      signal,
      log,
      requests,
      fetchImpl: options.fetchImpl,
      timeoutMs: options.timeoutMs,
    })
  const withinMs = (options.timeoutMs ?? 2000) + 3000
  const secrets = () => (manifest ? secretValues(manifest, settings() as object) : [])
  const slow = (name: string, run: () => Promise<string[]>) =>
    test(name, async () => fail(await run())).timeout(withinMs + 10_000)

  test.group(title, (group) => {
    if (options.setup) group.setup(options.setup)
    if (options.teardown) group.teardown(options.teardown)
    if (options.beforeEach) group.each.setup(options.beforeEach)

    test('manifest is valid', () => fail(loadError ? [loadError] : checkManifest(json, folder)))
    test('implements the declared kinds with their contract version and methods', () => {
      fail(
        manifest
          ? inspectPlugin(options.plugin, manifest.kinds, manifest.id || undefined)
          : noManifest
      )
    })
    for (const scenario of options.errors ?? []) {
      slow(`maps errors: ${scenario.name}`, () =>
        checkErrorScenario(scenario, context, { secrets: secrets(), withinMs })
      )
    }
    const cancellation = options.cancellation
    if ('alreadyAborted' in cancellation) {
      slow('rejects when called with an aborted signal', () =>
        checkCancelledBeforeStart(cancellation.alreadyAborted, context)
      )
    } else {
      slow('rejects promptly when cancelled', () => checkCancellation(cancellation, context))
    }

    const publisher = options.plugin.kinds.publisher
    if (publisher) {
      const scenarios = options.publisher
      test('publisher: validate is pure and follows the declared limits', () =>
        fail(checkValidate(publisher)))
      if (!scenarios) {
        test('publisher: scenarios are supplied', () =>
          fail(['pass `publisher: { input, unknownOutcome, findPublished }`']))
      } else {
        slow('publisher: publishes to the healthy fake', () =>
          checkPublish(publisher, scenarios.input, context, { withinMs })
        )
        if (scenarios.unknownOutcome.length === 0) {
          test('publisher: unknown outcome scenarios are supplied', () =>
            fail(['add at least one unknownOutcome scenario']))
        }
        for (const scenario of scenarios.unknownOutcome) {
          slow(`publisher: ${scenario.name} is Unknown, never retryable`, () =>
            checkUnknownOutcome(publisher, scenarios.input, scenario, context, {
              secrets: secrets(),
              withinMs,
            })
          )
        }
        if (publisher.findPublished) {
          const found = scenarios.findPublished
          slow('publisher: findPublished finds a post the fake holds', async () =>
            found
              ? checkFindPublished(publisher, found, context, { withinMs })
              : ['add a findPublished scenario']
          )
        }
      }
    }

    test('only calls hosts in network.hosts or URL settings', () => {
      fail(
        manifest ? checkHosts(requests, allowedHosts(manifest, settings() as object)) : noManifest
      )
    })
    test('never logs a secret setting value', () => {
      fail(manifest ? checkSecretsNotLogged(log, secrets()) : noManifest)
    })
  })
}
