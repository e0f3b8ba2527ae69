/**
 * A second Herald process for the single-refresh test
 * (tests/functional/accounts/single_refresh.spec.ts): boots the app against
 * the test run's database, prints READY, waits for GO on stdin, then calls
 * AccountTokens.fresh() `calls` times at once on one account and prints the
 * access tokens it got (one JSON line), then exits.
 * Options come as JSON in REFRESH_CHILD_OPTIONS: { accountId, calls }.
 */
process.env.NODE_ENV = 'test'
await import('reflect-metadata')
const { Ignitor } = await import('@adonisjs/core')
const { APP_ROOT, importer, tapApp } = await import('#start/ignite')

const options = JSON.parse(process.env.REFRESH_CHILD_OPTIONS ?? '{}') as {
  accountId: number
  calls: number
}
const say = (line: string) => process.stdout.write(`${line}\n`)

const app = new Ignitor(APP_ROOT, { importer }).tap(tapApp).createApp('console')
await app.init()
await app.boot()
await app.start(async () => {})

const { AccountTokens } = await import('#services/account_tokens')
const { default: SocialAccount } = await import('#models/social_account')
const tokens = await app.container.make(AccountTokens)
const accounts = await Promise.all(
  Array.from({ length: options.calls }, () => SocialAccount.findOrFail(options.accountId))
)
say('READY')
await new Promise<void>((resolve) => {
  process.stdin.on('data', (chunk) => {
    if (chunk.toString().includes('GO')) resolve()
  })
})
const results = await Promise.allSettled(
  accounts.map((account) => tokens.fresh(account).then((fresh) => fresh.accessToken))
)
say(
  `RESULTS ${JSON.stringify(
    results.map((result) =>
      result.status === 'fulfilled' ? { token: result.value } : { error: String(result.reason) }
    )
  )}`
)
await app.terminate()
process.exit(0)
