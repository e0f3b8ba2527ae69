import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import queueConfig from '#config/queue'
import AuditEvent from '#models/audit_event'
import SocialAccount from '#models/social_account'
import type Workspace from '#models/workspace'
import { AccountTokens } from '#services/account_tokens'
import { defineJob } from '#queue/define_job'
import { WorkerRunner } from '#queue/worker_runner'
import { jobs } from '#jobs/registry'
import { refreshTokensJob } from '#jobs/refresh_tokens_job'
import { RefreshExpiringTokens } from '#actions/accounts/refresh_expiring_tokens'
import { isolateDatabase } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { tokensOf } from '#tests/helpers/accounts'
import {
  createTestManager,
  destroyManager,
  queueBackends,
  uniqueQueue,
  waitFor,
} from '#tests/helpers/queue'

const fakes = new PlatformFakes()

async function workspace() {
  return createWorkspace(await createUser({ isAdmin: true }))
}

/** An account holding tokens the fake issued, expiring in `expiresIn` seconds */
async function xAccount(owner: Workspace, expiresIn: number, name = 'Acme on X') {
  const issued = fakes.x.issueTokens({ expiresIn })
  const account = await SocialAccount.create({
    workspaceId: owner.id,
    pluginId: 'x',
    externalId: `x-${Math.random()}`,
    handle: 'acme',
    displayName: name,
    connectedAt: DateTime.now(),
  })
  await (
    await app.container.make(AccountTokens)
  ).store(account, {
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: new Date(Date.now() + expiresIn * 1000),
    scopes: issued.scopes,
  })
  return { account, issued }
}

async function linkedinAccount(owner: Workspace, expiresAt: DateTime) {
  const issued = fakes.linkedin.issueTokens()
  const account = await SocialAccount.create({
    workspaceId: owner.id,
    pluginId: 'linkedin',
    externalId: `li-${Math.random()}`,
    handle: 'jane@example.com',
    displayName: 'Jane on LinkedIn',
    connectedAt: DateTime.now(),
  })
  await (
    await app.container.make(AccountTokens)
  ).store(account, {
    accessToken: issued.accessToken,
    expiresAt: expiresAt.toJSDate(),
  })
  return account
}

async function run() {
  return (await app.container.make(RefreshExpiringTokens)).execute()
}

test.group('Accounts: the proactive token refresh', (group) => {
  isolateDatabase(group)
  fakes.useIn(group)

  test('renews tokens expiring within 30 minutes, leaves the others, and a second run does nothing', async ({
    assert,
  }) => {
    const owner = await workspace()
    const soon = await xAccount(owner, 600, 'Soon')
    const later = await xAccount(owner, 7200, 'Later')

    const first = await run()
    assert.deepInclude(first, { due: 1, refreshed: 1, needsReconnect: 0, failed: 0 })
    assert.equal(fakes.x.refreshCount, 1)
    const renewed = await tokensOf(soon.account)
    assert.notEqual(renewed!.accessToken, soon.issued.accessToken)
    assert.isTrue(fakes.x.isTokenValid(renewed!.accessToken))
    assert.isTrue(fakes.x.isTokenValid(renewed!.refreshToken!))
    assert.isFalse(
      fakes.x.isTokenValid(soon.issued.refreshToken!),
      'the old refresh token is spent'
    )
    await soon.account.refresh()
    assert.isAbove(soon.account.tokenExpiresAt!.diffNow('minutes').minutes, 110)
    assert.isNotNull(soon.account.lastRefreshedAt)
    assert.equal((await tokensOf(later.account))!.accessToken, later.issued.accessToken)

    const second = await run()
    assert.deepInclude(second, { due: 0, refreshed: 0 })
    assert.equal(fakes.x.refreshCount, 1)
  })

  test('an answer without a refresh token never replaces the stored one with nothing', async ({
    assert,
  }) => {
    const owner = await workspace()
    const { account, issued } = await xAccount(owner, 300)
    fakes.x.omitRefreshTokenOnRefresh = true
    await run()
    const stored = await tokensOf(account)
    assert.notEqual(stored!.accessToken, issued.accessToken)
    assert.equal(stored!.refreshToken, issued.refreshToken)
  })

  test('one account failing stops no other: refused means needs reconnect, temporary means retry', async ({
    assert,
  }) => {
    const owner = await workspace()
    const refused = await xAccount(owner, 300, 'Refused')
    const healthy = await xAccount(owner, 300, 'Healthy')
    fakes.x.revokeToken(refused.issued.refreshToken!)

    const report = await run()
    assert.deepInclude(report, { due: 2, refreshed: 1, needsReconnect: 1, failed: 0 })
    await refused.account.refresh()
    assert.equal(refused.account.status, 'needs_reconnect')
    assert.include(refused.account.statusReason!, 'X (Twitter) refused to renew access')
    assert.include(refused.account.statusReason!, 'Reconnect the account')
    await healthy.account.refresh()
    assert.equal(healthy.account.status, 'active')
    const event = await AuditEvent.query().where('action', 'account.needs_reconnect').firstOrFail()
    assert.equal(event.subjectId, String(refused.account.id))

    fakes.x.fail(503, { route: 'token' })
    const down = await xAccount(owner, 300, 'Down')
    const retry = await run()
    assert.deepInclude(retry, { failed: 1, needsReconnect: 0 })
    await down.account.refresh()
    assert.equal(down.account.status, 'active')
    assert.equal((await tokensOf(down.account))!.accessToken, down.issued.accessToken)
  })

  test('LinkedIn without a refresh token: warned a week ahead, once; asked to reconnect before expiry', async ({
    assert,
  }) => {
    const owner = await workspace()
    const inFiveDays = await linkedinAccount(owner, DateTime.now().plus({ days: 5 }))
    const first = await run()
    const second = await run()
    assert.equal(first.warned, 1)
    assert.equal(second.warned, 0)
    assert.lengthOf(await AuditEvent.query().where('action', 'account.expiring'), 1)
    await inFiveDays.refresh()
    assert.equal(inFiveDays.status, 'active')

    const expiring = DateTime.now().plus({ minutes: 20 })
    const inTwentyMinutes = await linkedinAccount(owner, expiring)
    const report = await run()
    assert.equal(report.needsReconnect, 1)
    await inTwentyMinutes.refresh()
    assert.equal(inTwentyMinutes.status, 'needs_reconnect')
    assert.include(inTwentyMinutes.statusReason!, 'reconnect the LinkedIn account before')
    assert.include(inTwentyMinutes.statusReason!, expiring.toUTC().toISODate()!)
    assert.lengthOf(fakes.linkedin.requestsTo('token'), 0, 'no request: it cannot renew')
  })

  test('runs on the queue every 15 minutes (and once when a worker starts)', async ({ assert }) => {
    assert.include(jobs as readonly unknown[], refreshTokensJob)
    assert.deepEqual(refreshTokensJob.repeat, { every: 15 * 60_000 })
    const owner = await workspace()
    const { account, issued } = await xAccount(owner, 300)
    const manager = createTestManager(queueBackends()[0])
    const queue = uniqueQueue('tokens')
    const runner = new WorkerRunner(manager, {
      jobs: [defineJob({ ...refreshTokensJob, queue })],
      concurrency: 1,
      lockDuration: queueConfig.lockDuration,
      stalledInterval: queueConfig.stalledInterval,
    })
    try {
      await runner.start()
      await waitFor(async () => (await tokensOf(account))!.accessToken !== issued.accessToken, {
        timeout: 15_000,
        message: 'the refresh job to renew the token',
      })
      assert.deepEqual(
        runner.repeating.map((definition) => [definition.name, definition.repeat!.every]),
        [['refresh_tokens', 15 * 60_000]]
      )
      assert.equal(fakes.x.refreshCount, 1)
    } finally {
      await runner.stop()
      await destroyManager(manager)
    }
  }).timeout(40_000)
})
