import { test } from '@japa/runner'
import pg from 'pg'
import databaseServer from '#services/database_server'
import { openBackend, QueueDatabaseError } from '#queue/backend'
import { QueueManager } from '#queue/queue_manager'
import { RUN_ID } from '#tests/helpers/queue'

/**
 * Where the PostgreSQL backend puts its database, on a server Herald does not own
 * (simulated with roles on the test server: one may create databases, one may not).
 */
test.group('Queue backend: the queue database', (group) => {
  const superuser = () => new pg.Client({ ...databaseServer.connection, database: 'postgres' })
  const names = { maker: `qmaker_${RUN_ID}`, limited: `qlimited_${RUN_ID}` }
  const password = `pw-${RUN_ID}`

  group.setup(async () => {
    const client = superuser()
    await client.connect()
    try {
      for (const [role, createdb] of [
        [names.maker, true],
        [names.limited, false],
      ] as const) {
        await client.query(
          `create role ${pg.escapeIdentifier(role)} login password ${pg.escapeLiteral(password)} ${createdb ? 'createdb' : 'nocreatedb'}`
        )
        await client.query(
          `create database ${pg.escapeIdentifier(role)} owner ${pg.escapeIdentifier(role)}`
        )
      }
    } finally {
      await client.end()
    }
    return async () => {
      const cleanup = superuser()
      await cleanup.connect()
      try {
        for (const database of [
          `${names.maker}_queue`,
          `${names.maker}_custom`,
          names.maker,
          names.limited,
        ]) {
          await cleanup.query(
            `drop database if exists ${pg.escapeIdentifier(database)} with (force)`
          )
        }
        for (const role of Object.values(names)) {
          await cleanup.query(`drop role if exists ${pg.escapeIdentifier(role)}`)
        }
      } finally {
        await cleanup.end()
      }
    }
  })

  function connectionFor(role: string) {
    const { host, port } = databaseServer.connection
    return { host, port, user: role, password, database: role }
  }

  test('an external server: Herald creates <database>_queue next to its database', async ({
    assert,
  }) => {
    const backend = await openBackend({
      kind: 'postgres',
      appConnection: connectionFor(names.maker),
      embedded: false,
      poolMax: 3,
    })
    try {
      assert.include(backend.description, `"${names.maker}_queue"`)
      const queue = backend.createQueue('probe')
      await queue.add('noop', {})
      assert.equal((await queue.getJobCounts('waiting')).waiting, 1)
      await queue.obliterate({ force: true })
      await queue.close()
    } finally {
      await backend.close()
    }
  })

  test('QUEUE_DATABASE_URL chooses the queue database', async ({ assert }) => {
    const { host, port } = databaseServer.connection
    const backend = await openBackend({
      kind: 'postgres',
      databaseUrl: `postgres://${names.maker}:${password}@${host}:${port}/${names.maker}_custom`,
      appConnection: connectionFor(names.maker),
      embedded: false,
      poolMax: 3,
    })
    assert.include(backend.description, `"${names.maker}_custom"`)
    await backend.close()
  })

  test('a user who may not create databases gets told what to create', async ({ assert }) => {
    const attempt = openBackend({
      kind: 'postgres',
      appConnection: connectionFor(names.limited),
      embedded: false,
      poolMax: 3,
    })
    await assert.rejects(() => attempt, QueueDatabaseError)
    const message = await attempt.catch((error: Error) => error.message)
    assert.include(message, `CREATE DATABASE "${names.limited}_queue" OWNER "${names.limited}"`)
    assert.include(message, 'QUEUE_DATABASE_URL')
  })

  test('nothing connects before the first use, and a failed open is retried', async ({
    assert,
  }) => {
    let opens = 0
    const manager = new QueueManager({
      kind: 'redis',
      settings: () => {
        opens++
        throw new Error('no backend configured')
      },
    })
    assert.isFalse(manager.isOpen)
    assert.equal(opens, 0)
    await assert.rejects(() => manager.getQueue('any'), /no backend configured/)
    await assert.rejects(() => manager.getQueue('any'), /no backend configured/)
    assert.equal(opens, 2)
    await manager.close()
  })
})
