import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import pg from 'pg'
import app from '@adonisjs/core/services/app'
import { EmbeddedPostgres } from '#services/embedded_postgres'

const PORT = 54371
const dataDir = app.tmpPath('postgres-recovery-test')
const logFile = app.tmpPath('postgres-recovery-test.log')

/** Starts a separate Node process that owns the server, resolves once it is ready */
async function startOwnerProcess(): Promise<{ child: ChildProcess; dataDir: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import=@poppinss/ts-exec',
      'tests/helpers/embedded_pg_owner.ts',
      dataDir,
      String(PORT),
      logFile,
    ],
    { cwd: app.makePath(), stdio: ['ignore', 'pipe', 'inherit'] }
  )
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 60_000
  while (!output.includes('READY')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`owner process did not start: ${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  /** The folder really used: a reachable fallback when running as root */
  return { child, dataDir: output.trim().split(' ')[3] }
}

async function postmasterPid(dir: string) {
  const content = await readFile(join(dir, 'postmaster.pid'), 'utf8').catch(() => '')
  return Number(content.split('\n')[0]) || null
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function selectOne(server: EmbeddedPostgres) {
  const client = new pg.Client({ ...server.address!, database: 'postgres' })
  await client.connect()
  const result = await client.query('select 1 as one')
  await client.end()
  return result.rows[0].one
}

test.group('Embedded PostgreSQL', (group) => {
  group.setup(async () => {
    await rm(dataDir, { recursive: true, force: true })
    return () => rm(dataDir, { recursive: true, force: true })
  })

  test('a second process connects to the running server instead of starting one', async ({
    assert,
  }) => {
    const { child: owner } = await startOwnerProcess()
    try {
      const second = new EmbeddedPostgres({ dataDir, port: PORT, logFile })
      await second.ensureRunning()
      assert.equal(second.ownership, 'client')
      assert.equal(await selectOne(second), 1)
      await second.stop()
      assert.isNotNull(await postmasterPid(second.dataDir), 'a client must never stop the server')
    } finally {
      owner.kill('SIGTERM')
      await once(owner, 'exit')
    }
  }).timeout(90_000)

  test('after the owner is killed with kill -9, the next start stops the orphan and starts cleanly', async ({
    assert,
  }) => {
    const { child: owner, dataDir: realDir } = await startOwnerProcess()
    owner.kill('SIGKILL')
    await once(owner, 'exit')

    const orphanPid = await postmasterPid(realDir)
    assert.isNotNull(orphanPid)
    assert.isTrue(isAlive(orphanPid!), 'PostgreSQL keeps running after its owner is killed')

    const restarted = new EmbeddedPostgres({ dataDir, port: PORT, logFile })
    const started = Date.now()
    await restarted.ensureRunning()
    assert.isBelow(Date.now() - started, 15_000)
    assert.equal(restarted.ownership, 'owner')
    assert.equal(await selectOne(restarted), 1)
    const newPid = await postmasterPid(restarted.dataDir)
    assert.notEqual(newPid, orphanPid)

    await restarted.stop()
    assert.isFalse(isAlive(newPid!), 'stop() shuts the server down')
  }).timeout(90_000)

  test('a stale postmaster.pid whose process is gone does not block the start', async ({
    assert,
  }) => {
    const server = new EmbeddedPostgres({ dataDir, port: PORT, logFile })
    await server.ensureRunning()
    await server.stop()
    await writeFile(
      join(server.dataDir, 'postmaster.pid'),
      `999999\n${server.dataDir}\n0\n${PORT}\n`
    )

    const again = new EmbeddedPostgres({ dataDir, port: PORT, logFile })
    await again.ensureRunning()
    assert.equal(again.ownership, 'owner')
    assert.equal(await selectOne(again), 1)
    await again.stop()
  }).timeout(90_000)

  test('as root, a data folder under an unreachable (mode 700) folder moves to a reachable one', async ({
    assert,
  }) => {
    const privateRoot = await mkdtemp(join(tmpdir(), 'herald-private-'))
    await chmod(privateRoot, 0o700)
    const configured = join(privateRoot, 'postgres')
    const fallbackBase = await mkdtemp(join(tmpdir(), 'herald-fallback-'))
    const messages: string[] = []
    const server = new EmbeddedPostgres({
      dataDir: configured,
      port: PORT,
      logFile,
      rootFallbackDir: fallbackBase,
      log: (_level, message) => messages.push(message),
    })
    try {
      await server.ensureRunning()
      assert.equal(await selectOne(server), 1)
      if (process.getuid?.() === 0) {
        assert.isTrue(server.dataDir.startsWith(fallbackBase), server.dataDir)
        assert.isTrue(
          messages.some((message) => message.includes(server.dataDir)),
          'the new place is logged'
        )
      } else {
        assert.equal(server.dataDir, configured, 'a regular user runs PostgreSQL as themselves')
      }
    } finally {
      await server.stop()
      await rm(privateRoot, { recursive: true, force: true })
      await rm(fallbackBase, { recursive: true, force: true })
    }
  }).timeout(90_000)
})
