import { test } from '@japa/runner'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import { HttpBodyUsedError, HttpNetworkError, HttpTimeoutError } from '@herald/plugin-sdk'
import { createTestContext } from '@herald/plugin-sdk/testing'

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => unknown

/** Starts a server on 127.0.0.1 that reads each body then calls `handler`; returns its URL and a stop function. */
async function serve(handler: Handler): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    handler(request, Buffer.concat(chunks), response)
  })
  server.on('connection', (socket) => sockets.add(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Rejection of a promise, or a failure when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the promise to reject')
}

test.group('plugin sdk / test context http client', () => {
  test('reads json, text and bytes, and may read the body twice', async ({ assert, cleanup }) => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r1' })
      response.end('{"ok":true}')
    })
    cleanup(server.stop)
    const ctx = createTestContext({ settings: {} })
    const response = await ctx.http.request({ method: 'GET', url: `${server.url}/thing?x=1` })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('X-Request-Id'), 'r1')
    assert.deepEqual(await response.json(), { ok: true })
    assert.equal(await response.text(), '{"ok":true}')
    assert.deepEqual([...(await response.bytes())].slice(0, 2), [123, 34])
    assert.deepEqual(ctx.requests, [{ method: 'GET', url: `${server.url}/thing?x=1` }])
  })

  test('resolves with error statuses instead of throwing', async ({ assert, cleanup }) => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(503)
      response.end('down')
    })
    cleanup(server.stop)
    const response = await createTestContext({ settings: {} }).http.request({
      method: 'GET',
      url: server.url,
    })
    assert.equal(response.status, 503)
    assert.equal(await response.text(), 'down')
  })

  test('encodes object, text, bytes and form bodies', async ({ assert, cleanup }) => {
    const seen: { type?: string; body: string }[] = []
    const server = await serve((request, body, response) => {
      seen.push({ type: request.headers['content-type'], body: body.toString('utf8') })
      response.end()
    })
    cleanup(server.stop)
    const { http } = createTestContext({ settings: {} })
    await http.request({ method: 'POST', url: server.url, body: { text: 'hi', tags: ['a'] } })
    await http.request({
      method: 'POST',
      url: server.url,
      body: 'raw',
      headers: { 'content-type': 'text/plain' },
    })
    await http.request({ method: 'PUT', url: server.url, body: new TextEncoder().encode('bytes') })
    await http.request({
      method: 'POST',
      url: server.url,
      body: new URLSearchParams({ a: '1', b: '2' }),
    })
    assert.deepEqual(seen[0], { type: 'application/json', body: '{"text":"hi","tags":["a"]}' })
    assert.deepEqual(seen[1], { type: 'text/plain', body: 'raw' })
    assert.equal(seen[2].body, 'bytes')
    assert.deepEqual(seen[3], {
      type: 'application/x-www-form-urlencoded;charset=UTF-8',
      body: 'a=1&b=2',
    })
  })

  test('a timeout after the request was sent has phase response', async ({ assert, cleanup }) => {
    const server = await serve(() => {})
    cleanup(server.stop)
    const { http } = createTestContext({ settings: {} })
    const error = await rejection(
      http.request({
        method: 'POST',
        url: `${server.url}/posts?key=k`,
        body: { a: 1 },
        timeoutMs: 200,
      })
    )
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'response')
    assert.equal((error as HttpTimeoutError).url, `${server.url}/posts`)
  })

  test('a timeout while the body is still being sent has phase connect', async ({
    assert,
    cleanup,
  }) => {
    const sockets = new Set<Socket>()
    const stalled: TcpServer = createTcpServer((socket) => {
      sockets.add(socket)
      socket.pause()
    })
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
    cleanup(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => stalled.close(() => resolve()))
    })
    const { port } = stalled.address() as { port: number }
    const { http } = createTestContext({ settings: {} })
    const body = new Uint8Array(64 * 1024 * 1024)
    const error = await rejection(
      http.request({ method: 'POST', url: `http://127.0.0.1:${port}/upload`, body, timeoutMs: 300 })
    )
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'connect')
  })

  test('a stalled body read times out with phase response', async ({ assert, cleanup }) => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200)
      response.write('partial')
    })
    cleanup(server.stop)
    const response = await createTestContext({ settings: {} }).http.request({
      method: 'GET',
      url: server.url,
      timeoutMs: 300,
    })
    const error = await rejection(response.text())
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'response')
  })

  test('the context timeout is also a ceiling', async ({ assert, cleanup }) => {
    const server = await serve(() => {})
    cleanup(server.stop)
    const { http } = createTestContext({ settings: {}, timeoutMs: 150 })
    const started = performance.now()
    const error = await rejection(
      http.request({ method: 'GET', url: server.url, timeoutMs: 60_000 })
    )
    assert.instanceOf(error, HttpTimeoutError)
    assert.isBelow(performance.now() - started, 1500)
  })

  test('a connection dropped after the request has phase response', async ({ assert, cleanup }) => {
    const server = await serve((request) => request.socket.destroy())
    cleanup(server.stop)
    const { http } = createTestContext({ settings: {} })
    const error = await rejection(http.request({ method: 'POST', url: server.url, body: { a: 1 } }))
    assert.instanceOf(error, HttpNetworkError)
    assert.equal((error as HttpNetworkError).phase, 'response')
  })

  test('a refused connection has phase connect', async ({ assert }) => {
    const probe = createTcpServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as { port: number }
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const { http } = createTestContext({ settings: {} })
    const error = await rejection(http.request({ method: 'GET', url: `http://127.0.0.1:${port}/` }))
    assert.instanceOf(error, HttpNetworkError)
    assert.equal((error as HttpNetworkError).phase, 'connect')
  })

  test('aborting the context signal rejects with its reason, not a timeout', async ({
    assert,
    cleanup,
  }) => {
    const server = await serve(() => {})
    cleanup(server.stop)
    const controller = new AbortController()
    const { http } = createTestContext({ settings: {}, signal: controller.signal })
    setTimeout(() => controller.abort(new Error('cancelled by user')), 50)
    const error = await rejection(http.request({ method: 'GET', url: server.url }))
    assert.equal((error as Error).message, 'cancelled by user')
    const again = await rejection(http.request({ method: 'GET', url: server.url }))
    assert.equal((again as Error).message, 'cancelled by user')
  })

  test('a fetch implementation without phase tracking reports phase response', async ({
    assert,
  }) => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: new Error('other side closed') })
    }
    const { http } = createTestContext({ settings: {}, fetchImpl })
    const error = await rejection(http.request({ method: 'POST', url: 'http://127.0.0.1:9/posts' }))
    assert.instanceOf(error, HttpNetworkError)
    assert.equal((error as HttpNetworkError).phase, 'response')
  })

  test('the capturing logger keeps messages and data', ({ assert }) => {
    const ctx = createTestContext({ settings: {} })
    ctx.logger.info('hello')
    ctx.logger.warn({ attempt: 2 }, 'retrying')
    assert.deepEqual(ctx.logger.entries, [
      { level: 'info', message: 'hello' },
      { level: 'warn', data: { attempt: 2 }, message: 'retrying' },
    ])
    assert.include(ctx.logger.text(), 'attempt: 2')
  })
})

/** A latch the test opens to let a fake server go on. */
function latch(): { wait: Promise<void>; open: () => void } {
  let open = () => {}
  const wait = new Promise<void>((resolve) => (open = resolve))
  return { wait, open }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const decode = (chunk: Uint8Array) => new TextDecoder().decode(chunk)

/** Resolves true once `condition` holds, false after `withinMs`. */
async function until(condition: () => boolean, withinMs = 1000): Promise<boolean> {
  const deadline = performance.now() + withinMs
  while (!condition() && performance.now() < deadline) await sleep(5)
  return condition()
}

test.group('plugin sdk / test context http client / stream()', () => {
  test('yields chunks as they arrive', async ({ assert, cleanup }) => {
    const gate = latch()
    const server = await serve(async (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write('first')
      await gate.wait
      response.end('second')
    })
    cleanup(server.stop)
    const response = await createTestContext({ settings: {} }).http.request({
      method: 'GET',
      url: server.url,
    })
    const iterator = response.stream()[Symbol.asyncIterator]()
    const first = await iterator.next()
    assert.equal(decode(first.value!), 'first', 'read while the server holds the rest')
    gate.open()
    const rest: string[] = []
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest.push(decode(next.value))
    assert.equal(rest.join(''), 'second')
  })

  test('a live stream outlasts timeoutMs; only the idle limit applies', async ({
    assert,
    cleanup,
  }) => {
    const server = await serve(async (_request, _body, response) => {
      response.writeHead(200)
      for (let index = 0; index < 5; index++) {
        response.write(`${index}`)
        await sleep(80)
      }
      response.end()
    })
    cleanup(server.stop)
    const response = await createTestContext({ settings: {} }).http.request({
      method: 'GET',
      url: server.url,
      timeoutMs: 150,
      idleTimeoutMs: 1000,
    })
    const chunks: string[] = []
    for await (const chunk of response.stream()) chunks.push(decode(chunk))
    assert.equal(chunks.join(''), '01234')
  })

  test('a stalled stream fails with HttpTimeoutError after idleTimeoutMs', async ({
    assert,
    cleanup,
  }) => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200)
      response.write('partial')
    })
    cleanup(server.stop)
    const response = await createTestContext({ settings: {} }).http.request({
      method: 'GET',
      url: server.url,
      idleTimeoutMs: 200,
    })
    const iterator = response.stream()[Symbol.asyncIterator]()
    assert.equal(decode((await iterator.next()).value!), 'partial')
    const started = performance.now()
    const error = await rejection(iterator.next())
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'response')
    assert.include((error as Error).message, '200 ms')
    assert.isAbove(performance.now() - started, 150)
    assert.isBelow(performance.now() - started, 1000)
  })

  test('an abort mid-stream rejects with the reason and closes the connection', async ({
    assert,
    cleanup,
  }) => {
    let closed = false
    const server = await serve((_request, _body, response) => {
      response.on('close', () => (closed = !response.writableFinished))
      response.writeHead(200)
      response.write('partial')
    })
    cleanup(server.stop)
    const controller = new AbortController()
    const response = await createTestContext({
      settings: {},
      signal: controller.signal,
    }).http.request({ method: 'GET', url: server.url })
    const iterator = response.stream()[Symbol.asyncIterator]()
    await iterator.next()
    setTimeout(() => controller.abort(new Error('cancelled by user')), 20)
    const started = performance.now()
    const error = await rejection(iterator.next())
    assert.equal((error as Error).message, 'cancelled by user')
    assert.isBelow(performance.now() - started, 500)
    assert.isTrue(await until(() => closed), 'the server saw the client leave')
  })

  test('leaving the loop early closes the connection', async ({ assert, cleanup }) => {
    let closed = false
    const server = await serve((_request, _body, response) => {
      response.on('close', () => (closed = !response.writableFinished))
      response.writeHead(200)
      response.write('partial')
    })
    cleanup(server.stop)
    const response = await createTestContext({ settings: {} }).http.request({
      method: 'GET',
      url: server.url,
    })
    for await (const chunk of response.stream()) {
      assert.equal(decode(chunk), 'partial')
      break
    }
    assert.isTrue(await until(() => closed), 'the server saw the client leave')
  })

  test('the body is read once: stream() excludes text(), json(), bytes() and itself', async ({
    assert,
    cleanup,
  }) => {
    const server = await serve((_request, _body, response) => response.end('{"ok":true}'))
    cleanup(server.stop)
    const { http } = createTestContext({ settings: {} })
    const streamed = await http.request({ method: 'GET', url: server.url })
    const chunks: string[] = []
    for await (const chunk of streamed.stream()) chunks.push(decode(chunk))
    assert.equal(chunks.join(''), '{"ok":true}')
    assert.throws(() => streamed.stream(), /already read with stream\(\)/)
    for (const read of [() => streamed.text(), () => streamed.json(), () => streamed.bytes()]) {
      assert.instanceOf(await rejection(read()), HttpBodyUsedError)
    }
    const whole = await http.request({ method: 'GET', url: server.url })
    assert.deepEqual(await whole.json(), { ok: true })
    assert.throws(() => whole.stream(), HttpBodyUsedError)
  })
})
