import app from '@adonisjs/core/services/app'
import type { JobDefinition } from '#queue/define_job'
import { heartbeatJob } from '#jobs/heartbeat_job'
import { pruneJobsJob } from '#jobs/prune_jobs_job'
import { refreshTokensJob } from '#jobs/refresh_tokens_job'
import { reconcilePublishingJob } from '#jobs/reconcile_publishing_job'
import { resolveUnknownJob } from '#jobs/resolve_unknown_job'
import { publishTargetJob } from '#jobs/publish_target_job'
import { generateImageJob } from '#jobs/generate_image_job'
import { sweepGenerationsJob } from '#jobs/sweep_generations_job'

/**
 * Every job Herald runs. Workers (`node ace queue:work`, or inline in the web
 * process) run the handlers of these definitions; a job missing here fails with
 * "No handler". Add new jobs to this list.
 */
export const jobs = [
  heartbeatJob,
  pruneJobsJob,
  reconcilePublishingJob,
  resolveUnknownJob,
  generateImageJob,
  sweepGenerationsJob,
  refreshTokensJob,
] as const

/** The jobs above plus one publish queue per publisher plugin (`publish-<plugin id>`) */
export function jobsFor(publisherIds: readonly string[]): JobDefinition<any>[] {
  return [...jobs, ...publisherIds.map((id) => publishTargetJob(id))]
}

/** Every job of this process, once the plugin registry has booted */
export async function appJobs(): Promise<JobDefinition<any>[]> {
  const { PluginRegistry } = await import('#plugin_host/registry')
  const registry = await app.container.make(PluginRegistry)
  await registry.boot()
  return jobsFor(registry.publishers().map((entry) => entry.plugin.id))
}
