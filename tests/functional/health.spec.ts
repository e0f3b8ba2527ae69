import { test } from '@japa/runner'

test.group('Health probes', () => {
  test('GET /health says the process is alive', async ({ client }) => {
    const response = await client.get('/health')
    response.assertStatus(200)
    response.assertBodyContains({ status: 'ok' })
  })

  test('GET /ready checks the database and migrations', async ({ client }) => {
    const response = await client.get('/ready')
    response.assertStatus(200)
    response.assertBodyContains({
      ready: true,
      checks: { database: { ok: true }, migrations: { ok: true, pending: 0 } },
    })
  })
})
