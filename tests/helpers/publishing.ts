import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { TokenSet } from '@herald/plugin-sdk'
import publishingConfig from '#config/publishing'
import queueConfig from '#config/queue'
import { PluginRegistry } from '#plugin_host/registry'
import { WorkerRunner } from '#queue/worker_runner'
import { useQueueManager } from '#queue/queues'
import { jobsFor } from '#jobs/registry'
import { heartbeatJob } from '#jobs/heartbeat_job'
import { pruneJobsJob } from '#jobs/prune_jobs_job'
import { publishConcurrency } from '#publishing/job_ids'
import { AccountTokens } from '#services/account_tokens'
import SocialAccount from '#models/social_account'
import PostTarget from '#models/post_target'
import type Workspace from '#models/workspace'
import type { BackendKind } from '#queue/types'
import type { QueueManager } from '#queue/queue_manager'
import { createTestManager, destroyManager, waitFor } from '#tests/helpers/queue'
import type { TargetStatus } from '#publishing/target_status'
import { FAKE_X_TOKENS, FAKE_X_USER } from '#tests/fakes/x'
import { FAKE_LINKEDIN_MEMBER, FAKE_LINKEDIN_TOKENS } from '#tests/fakes/linkedin'
import { FAKE_META_PAGES } from '#tests/fakes/meta'

/**
 * Points a plugin at a fake through the environment variables its manifest
 * names (settings resolve per call, environment first). Returns the undo.
 */
export async function useSettings(pluginId: string, values: Record<string, unknown>) {
  const registry = await app.container.make(PluginRegistry)
  const manifest = registry.find(pluginId)?.manifest
  if (!manifest) throw new Error(`No plugin ${pluginId}`)
  const previous: Record<string, string | undefined> = {}
  for (const field of manifest.settings) {
    const value = values[field.name]
    if (!field.env || value === undefined) continue
    previous[field.env] = process.env[field.env]
    process.env[field.env] = String(value)
  }
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

/** Tokens for an account no platform is called for (read-side tests: pages, calendar, dashboards) */
export const TEST_TOKENS = { accessToken: 'test-access-token-value-1234567890', scopes: [] }

let accountSequence = 0

/** A connected account with tokens stored the way the connect flow stores them */
export async function connectAccount(
  workspace: Workspace,
  pluginId: string,
  tokens: TokenSet,
  profile: Partial<{ externalId: string; handle: string; displayName: string }> = {}
) {
  accountSequence++
  const account = await SocialAccount.create({
    workspaceId: workspace.id,
    pluginId,
    externalId: profile.externalId ?? `ext-${accountSequence}`,
    handle: profile.handle ?? `handle${accountSequence}`,
    displayName: profile.displayName ?? `Account ${accountSequence}`,
    scopes: tokens.scopes ?? [],
    status: 'active',
    meta: {},
    connectedAt: DateTime.now(),
  })
  const vault = await app.container.make(AccountTokens)
  await vault.store(account, tokens)
  return account
}

/**
 * Queue workers for the publishing pipeline on a test backend, in this
 * process; the app's dispatches go to the same backend until `stop()`.
 */
export async function startPipeline(
  kind: BackendKind,
  options: { publishers?: string[]; concurrency?: number } = {}
) {
  const manager: QueueManager = createTestManager(kind)
  const restore = useQueueManager(manager)
  // Without the heartbeat and pruning: tests of the System page expect no heartbeat of theirs.
  const jobs = jobsFor(options.publishers ?? ['x', 'linkedin', 'facebook', 'instagram']).filter(
    (job) => job !== heartbeatJob && job !== pruneJobsJob
  )
  const runner = new WorkerRunner(manager, {
    jobs,
    concurrency: options.concurrency ?? 5,
    concurrencyFor: (queue) =>
      options.concurrency ?? publishConcurrency(queue) ?? queueConfig.concurrency,
    lockDuration: queueConfig.lockDuration,
    stalledInterval: queueConfig.stalledInterval,
  })
  await runner.start()
  return {
    manager,
    runner,
    async stop() {
      await runner.stop()
      restore()
      await destroyManager(manager)
    },
  }
}

/** Waits until the target reaches one of the statuses; returns it */
export async function waitForTarget(
  targetId: number,
  statuses: TargetStatus | TargetStatus[],
  timeout = 15_000
) {
  const wanted = ([] as TargetStatus[]).concat(statuses)
  return waitFor(
    async () => {
      const target = await PostTarget.find(targetId)
      return target && wanted.includes(target.status) ? target : undefined
    },
    { timeout, interval: 50, message: `target ${targetId} to be ${wanted.join(' or ')}` }
  )
}

/** Every attempt of a target, oldest first */
export function attemptsOf(targetId: number) {
  return db
    .from('publish_attempts')
    .where('post_target_id', targetId)
    .orderBy('attempt_no')
    .select('*')
}

/** A platform fake (FakeX, FakeLinkedIn, FakeMeta) as a group drives it */
interface PlatformFake {
  start(): Promise<unknown>
  stop(): Promise<unknown>
  reset(): void
  settings(): Record<string, unknown>
}

/**
 * A group whose tests publish through fakes: the fakes start once for the
 * group; before each test they are reset, the plugins pointed at them
 * (`useSettings`, plugin id -> its fake; Facebook and Instagram share the
 * Meta fake) and real in-process workers started (`startPipeline`); after
 * it, the workers stop and the settings go back.
 */
export function usePublishingFakes(group: Group, plugins: Record<string, PlatformFake>) {
  const fakes = [...new Set(Object.values(plugins))]
  group.setup(async () => {
    await Promise.all(fakes.map((fake) => fake.start()))
    return async () => {
      await Promise.all(fakes.map((fake) => fake.stop()))
    }
  })
  group.each.setup(async () => {
    for (const fake of fakes) fake.reset()
    const undo: (() => void)[] = []
    for (const [pluginId, fake] of Object.entries(plugins)) {
      undo.push(await useSettings(pluginId, fake.settings()))
    }
    const pipeline = await startPipeline('postgres')
    return async () => {
      await pipeline.stop()
      for (const restore of undo) restore()
    }
  })
}

/** The scopes a Meta Page account (Facebook or Instagram) is granted in tests */
export const META_SCOPES = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
]

/** The fake X's user as a connected account, its token good for two hours */
export function connectFakeX(
  workspace: Workspace,
  displayName?: string,
  scopes: string[] = [...FAKE_X_TOKENS.scopes]
) {
  return connectAccount(
    workspace,
    'x',
    { ...FAKE_X_TOKENS, scopes, expiresAt: new Date(Date.now() + 7_200_000) },
    { externalId: FAKE_X_USER.id, handle: FAKE_X_USER.username, displayName }
  )
}

/** The fake LinkedIn's member as a connected account (tokens and its id overridable) */
export function connectFakeLinkedIn(
  workspace: Workspace,
  displayName: string,
  tokens: Partial<TokenSet> = {},
  externalId: string = FAKE_LINKEDIN_MEMBER.sub
) {
  return connectAccount(
    workspace,
    'linkedin',
    { ...FAKE_LINKEDIN_TOKENS, scopes: [...FAKE_LINKEDIN_TOKENS.scopes], ...tokens },
    { externalId, handle: FAKE_LINKEDIN_MEMBER.sub, displayName }
  )
}

/** The fake Meta's first Page as a connected Facebook Page, or its Instagram account */
export function connectFakeMetaPage(
  workspace: Workspace,
  pluginId: 'facebook' | 'instagram',
  displayName: string
) {
  const page = FAKE_META_PAGES[0]
  return connectAccount(
    workspace,
    pluginId,
    { accessToken: page.accessToken, scopes: META_SCOPES },
    pluginId === 'facebook'
      ? { externalId: page.id, handle: page.id, displayName }
      : { externalId: page.igUserId!, handle: page.igUsername!, displayName }
  )
}

/**
 * The publishing config (config/publishing.ts) as a group's tests left it
 * is put back after each; `overrides` apply before each test.
 */
export function usePublishingConfig(
  group: Group,
  overrides: Partial<typeof publishingConfig> = {}
) {
  const saved = { ...publishingConfig }
  group.each.setup(() => {
    Object.assign(publishingConfig, overrides)
    return () => {
      Object.assign(publishingConfig, saved)
    }
  })
}
