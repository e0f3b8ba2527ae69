import { heartbeatJob } from '#jobs/heartbeat_job'
import { pruneJobsJob } from '#jobs/prune_jobs_job'
import { refreshTokensJob } from '#jobs/refresh_tokens_job'

/**
 * Every job Herald runs. Workers (`node ace queue:work`, or inline in the web
 * process) run the handlers of these definitions; a job missing here fails with
 * "No handler". Add new jobs to this list.
 */
export const jobs = [heartbeatJob, pruneJobsJob, refreshTokensJob] as const
