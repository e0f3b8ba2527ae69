/**
 * @herald/plugin-sdk/testing: a test context on real HTTP, and the contract kit every plugin runs against
 * its own fake (`pluginContractSuite`, a Japa group). The check functions are exported for tools and tests.
 */
export { createTestContext } from './test_context.js'
export type { TestContextOptions, TestPluginContext } from './test_context.js'
export { createFetchHttpClient } from './fetch_http_client.js'
export type { FetchHttpClientOptions, RecordedRequest } from './fetch_http_client.js'
export { createCapturingLogger } from './capturing_logger.js'
export type { CapturingLogger, LogEntry, LogLevel } from './capturing_logger.js'
export { createTestMedia } from './test_media.js'
export { satisfiesRange } from './semver_range.js'

export { pluginContractSuite, ContractViolation } from './contract_suite.js'
export type { ContractSuiteOptions } from './contract_suite.js'
export type {
  ActScenario,
  CheckOptions,
  ContextFactory,
  ErrorScenario,
  FindPublishedScenario,
  PublisherScenarios,
  UnknownOutcomeScenario,
} from './types.js'

export { checkManifest, readManifest, looseManifest } from './checks/manifest.js'
export {
  checkErrorScenario,
  checkCancellation,
  checkCancelledBeforeStart,
} from './checks/scenarios.js'
export type { CancellationOptions } from './checks/scenarios.js'
export {
  checkUnknownOutcome,
  checkFindPublished,
  checkPublish,
  checkValidate,
} from './checks/publisher.js'
export { checkSecretsNotLogged, checkHosts, allowedHosts, secretValues } from './checks/hygiene.js'
export { settle, describeError, secretsInError } from './checks/settle.js'
export type { Settled } from './checks/settle.js'
export { expectPluginError, type PluginErrorOf } from './expect_plugin_error.js'
