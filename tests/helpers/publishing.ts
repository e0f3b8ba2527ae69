import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { TokenSet } from '@herald/plugin-sdk'
import queueConfig from '#config/queue'
import { PluginRegistry } from '#plugin_host/registry'
import { WorkerRunner } from '#queue/worker_runner'
import { useQueueManager } from '#queue/queues'
import { jobsFor } from '#jobs/registry'
import { publishConcurrency } from '#publishing/job_ids'
import { AccountTokens } from '#services/account_tokens'
import SocialAccount from '#models/social_account'
import PostTarget from '#models/post_target'
import type Workspace from '#models/workspace'
import type { BackendKind } from '#queue/types'
import type { QueueManager } from '#queue/queue_manager'
import { createTestManager, destroyManager, waitFor } from '#tests/helpers/queue'
import type { TargetStatus } from '#publishing/target_status'

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
  const runner = new WorkerRunner(manager, {
    jobs: jobsFor(options.publishers ?? ['x', 'linkedin', 'facebook', 'instagram']),
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
