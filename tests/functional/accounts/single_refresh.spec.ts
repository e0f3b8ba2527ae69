import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import app from '@adonisjs/core/services/app'
import { DateTime } from 'luxon'
import SocialAccount from '#models/social_account'
import { Publishers } from '#plugin_host/publishers'
import { AccountTokens } from '#services/account_tokens'
import { truncateAroundEach } from '#tests/helpers/database'
import { PlatformFakes } from '#tests/helpers/platforms'
import { createUser, createWorkspace } from '#tests/helpers/factories'
import { waitFor } from '#tests/helpers/queue'

const fakes = new PlatformFakes()

/** Another Herald process that calls fresh() `calls` times once told GO */
function secondProcess(accountId: number, calls: number) {
  const child = spawn(
    process.execPath,
    ['--import=@poppinss/ts-exec', 'tests/helpers/account_refresh_child.ts'],
    {
      cwd: app.makePath(),
      env: { ...process.env, REFRESH_CHILD_OPTIONS: JSON.stringify({ accountId, calls }) },
      stdio: ['pipe', 'pipe', 'pipe'],
    }
  )
  const lines: string[] = []
  let buffer = ''
  const collect = (chunk: Buffer) => {
    buffer += chunk.toString('utf8')
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    lines.push(...parts.filter(Boolean))
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk.toString('utf8')}`))
  const exited = new Promise<number | null>((done) => child.once('exit', done))
  const line = (pattern: RegExp, timeout = 60_000) =>
    waitFor(() => lines.find((candidate) => pattern.test(candidate)), {
      timeout,
      message: `${pattern} from the second process (it said: ${lines.slice(-5).join(' | ')})`,
    })
  return { child, lines, exited, line, go: () => child.stdin.write('GO\n') }
}

test.group('Accounts: one refresh however many jobs ask at once', (group) => {
  // Real commits: the second process must see the rows, and row locks must really block.
  truncateAroundEach(group)
  fakes.useIn(group)

  test('20 concurrent fresh() calls in two AccountTokens instances and 10 in a second process cause exactly one refresh', async ({
    assert,
  }) => {
    const workspace = await createWorkspace(await createUser({ isAdmin: true }))
    const issued = fakes.x.issueTokens({ expiresIn: 60 })
    const account = await SocialAccount.create({
      workspaceId: workspace.id,
      pluginId: 'x',
      externalId: '2244994945',
      handle: 'heraldstudio',
      displayName: 'Herald Studio',
      connectedAt: DateTime.now(),
    })
    const publishers = await app.container.make(Publishers)
    await new AccountTokens(publishers).store(account, {
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      expiresAt: new Date(Date.now() + 60_000),
      scopes: issued.scopes,
    })
    // A slow token endpoint: every caller arrives while the one refresh is in flight.
    fakes.x.latencyMs = 400

    const other = secondProcess(account.id, 10)
    try {
      await other.line(/^READY$/)
      const instances = [new AccountTokens(publishers), new AccountTokens(publishers)]
      const models = await Promise.all(
        Array.from({ length: 20 }, () => SocialAccount.findOrFail(account.id))
      )
      other.go()
      const here = await Promise.all(
        models.map((model, index) => instances[index % 2].fresh(model))
      )
      const line = await other.line(/^RESULTS /)
      const there = JSON.parse(line.slice('RESULTS '.length)) as {
        token?: string
        error?: string
      }[]
      assert.equal(await other.exited, 0)

      const refreshes = fakes.x
        .requestsTo('token')
        .filter((request) => request.form?.grant_type === 'refresh_token')
      assert.lengthOf(refreshes, 1, 'exactly one refresh request reached X')
      assert.equal(fakes.x.refreshCount, 1)

      const stored = await new AccountTokens(publishers).read(account)
      assert.notEqual(stored!.accessToken, issued.accessToken)
      assert.isTrue(fakes.x.isTokenValid(stored!.accessToken))
      assert.isTrue(fakes.x.isTokenValid(stored!.refreshToken!))
      assert.isFalse(fakes.x.isTokenValid(issued.refreshToken!), 'the old refresh token is spent')
      assert.deepEqual(
        here.map((tokens) => tokens.accessToken),
        Array.from({ length: 20 }, () => stored!.accessToken),
        'every caller in this process got the new token'
      )
      assert.deepEqual(
        there,
        Array.from({ length: 10 }, () => ({ token: stored!.accessToken })),
        'every caller in the second process got the new token'
      )
      await account.refresh()
      assert.equal(account.status, 'active')
    } finally {
      other.child.kill('SIGKILL')
    }
  }).timeout(90_000)

  test('many accounts refreshing at once do not exhaust the database pool', async ({ assert }) => {
    const workspace = await createWorkspace(await createUser({ isAdmin: true }))
    const publishers = await app.container.make(Publishers)
    const tokens = new AccountTokens(publishers)
    const accounts: SocialAccount[] = []
    for (let index = 0; index < 16; index++) {
      const issued = fakes.x.issueTokens({ expiresIn: 60 })
      const account = await SocialAccount.create({
        workspaceId: workspace.id,
        pluginId: 'x',
        externalId: `x-${index}`,
        handle: `acme${index}`,
        displayName: `Acme ${index}`,
        connectedAt: DateTime.now(),
      })
      await tokens.store(account, {
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        expiresAt: new Date(Date.now() + 60_000),
      })
      accounts.push(account)
    }
    fakes.x.latencyMs = 200
    const renewed = await Promise.all(accounts.map((account) => tokens.fresh(account)))
    assert.lengthOf(new Set(renewed.map((fresh) => fresh.accessToken)), 16)
    assert.equal(fakes.x.refreshCount, 16)
  }).timeout(60_000)
})
