import { test } from '@japa/runner'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, LookupFunction, Socket } from 'node:net'
import { HttpBodyUsedError, HttpNetworkError, HttpTimeoutError } from '@herald/plugin-sdk'
import {
  AddressRefusedError,
  HostNotAllowedError,
  SafeHttpClient,
  hostMatches,
} from '#plugin_host/safe_http_client'
import { blockedReason } from '#plugin_host/address_guard'

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void

/** A server on 127.0.0.1 that counts what reaches it. */
class LocalServer {
  hits: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[] = []
  handler: Handler = (_request, response) => response.end('ok')
  #server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    this.hits.push({ method: request.method!, url: request.url!, headers: request.headers, body })
    this.handler(request, response, body)
  })
  #sockets = new Set<Socket>()

  async start() {
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
    })
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    return this
  }

  get port() {
    return (this.#server.address() as AddressInfo).port
  }

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  async stop() {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

/** DNS for tests: names to fixed addresses; `hang.test` never answers. */
const fakeDns =
  (table: Record<string, string[]>): LookupFunction =>
  (hostname, options, callback) => {
    if (hostname === 'hang.test') return
    const addresses = table[hostname]
    if (!addresses) {
      return callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
        '',
        0
      )
    }
    const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    if (options.all) return callback(null, list)
    callback(null, list[0].address, list[0].family)
  }

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the request to be refused')
}

test.group('Safe HTTP client: URLs from users', (group) => {
  const victim = new LocalServer()
  group.setup(async () => {
    await victim.start()
    return () => victim.stop()
  })
  group.each.setup(() => {
    victim.hits = []
  })

  test('refuses every private, loopback, link-local, CGNAT, multicast and metadata form', async ({
    assert,
  }) => {
    const port = victim.port
    const client = new SafeHttpClient().forUserUrl()
    const urls = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://127.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://[64:ff9b::7f00:1]:${port}/`,
      'http://0.0.0.0/',
      'http://10.0.0.1/',
      'http://10.255.255.255/',
      'http://172.16.0.1/',
      'http://172.31.255.254/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00::1]/',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://224.0.0.1/',
      'http://[ff02::1]/',
    ]
    for (const url of urls) {
      const error = await rejection(client.request({ method: 'GET', url }))
      assert.instanceOf(error, AddressRefusedError, url)
    }
    assert.lengthOf(victim.hits, 0)
  })

  test('refuses names that resolve to private addresses, checked on the address connected to', async ({
    assert,
  }) => {
    const port = victim.port
    const client = new SafeHttpClient().forUserUrl({
      lookup: fakeDns({
        'evil.test': ['127.0.0.1'],
        'mixed.test': ['93.184.216.34', '10.0.0.7'],
        'metadata.test': ['169.254.169.254'],
        'v6.test': ['::1'],
      }),
    })
    try {
      for (const host of ['evil.test', 'mixed.test', 'metadata.test', 'v6.test']) {
        const error = await rejection(
          client.request({ method: 'GET', url: `http://${host}:${port}/` })
        )
        assert.instanceOf(error, AddressRefusedError, host)
      }
      const message = (
        await rejection(client.request({ method: 'GET', url: `http://evil.test:${port}/` }))
      ).message
      assert.equal(message, 'Herald does not fetch evil.test: 127.0.0.1 is loopback')
      assert.lengthOf(victim.hits, 0)
    } finally {
      await client.close()
    }
  })

  test('re-checks every redirect hop (127.0.0.1 reachable only on the test hook port)', async ({
    assert,
  }) => {
    const redirector = await new LocalServer().start()
    const client = new SafeHttpClient().forUserUrl({
      allowLoopbackPorts: [redirector.port],
      lookup: fakeDns({ 'evil.test': ['127.0.0.1'] }),
    })
    try {
      for (const target of [
        `http://127.0.0.1:${victim.port}/`,
        `http://evil.test:${victim.port}/`,
      ]) {
        redirector.handler = (_request, response) => {
          response.writeHead(302, { location: target })
          response.end()
        }
        const error = await rejection(
          client.request({ method: 'GET', url: `${redirector.url}/image.png` })
        )
        assert.instanceOf(error, AddressRefusedError, target)
      }
      assert.lengthOf(redirector.hits, 2, 'the first hop was allowed by the hook')
      assert.lengthOf(victim.hits, 0, 'no request reached the redirect target')
    } finally {
      await client.close()
      await redirector.stop()
    }
  })

  test('the loopback hook is explicit, port-scoped and refused in production', async ({
    assert,
  }) => {
    const hooked = new SafeHttpClient().forUserUrl({ allowLoopbackPorts: [victim.port] })
    try {
      const response = await hooked.request({ method: 'GET', url: `${victim.url}/fake` })
      assert.equal(response.status, 200)
      assert.lengthOf(victim.hits, 1)
    } finally {
      await hooked.close()
    }
    const previous = process.env.NODE_ENV
    process.env.NODE_ENV = 'production'
    try {
      assert.throws(() => new SafeHttpClient().forUserUrl({ allowLoopbackPorts: [1] }), /test hook/)
    } finally {
      process.env.NODE_ENV = previous
    }
  })

  test('refuses other schemes and credentials in URLs', async ({ assert }) => {
    const client = new SafeHttpClient().forUserUrl()
    for (const url of [
      'file:///etc/passwd',
      'ftp://example.com/x',
      'http://user:pass@example.com/',
      'not a url',
    ]) {
      assert.instanceOf(
        await rejection(client.request({ method: 'GET', url })),
        AddressRefusedError,
        url
      )
    }
  })

  test('classifies addresses', ({ assert }) => {
    assert.isUndefined(blockedReason('93.184.216.34'))
    assert.isUndefined(blockedReason('2606:4700:4700::1111'))
    assert.equal(blockedReason('172.20.1.1'), 'a private network')
    assert.equal(blockedReason('::ffff:10.1.2.3'), 'a private network (inside an IPv6 address)')
    assert.equal(blockedReason('2002:7f00:1::'), 'loopback (inside an IPv6 address)')
  })
})

test.group('Safe HTTP client: plugin calls', (group) => {
  const server = new LocalServer()
  const other = new LocalServer()
  group.setup(async () => {
    await server.start()
    await other.start()
    return async () => {
      await server.stop()
      await other.stop()
    }
  })
  group.each.setup(() => {
    server.hits = []
    other.hits = []
    server.handler = (_request, response) => response.end('ok')
  })

  const client = (limits = {}) =>
    SafeHttpClient.forHosts([`127.0.0.1:${server.port}`, 'api.example.com'], {
      caller: 'plugin "demo"',
      limits: { timeoutMs: 400, ...limits },
    })

  test('reaches only its allowed hosts', async ({ assert }) => {
    assert.equal((await client().request({ method: 'GET', url: `${server.url}/ok` })).status, 200)
    const refused = await rejection(client().request({ method: 'GET', url: `${other.url}/x` }))
    assert.instanceOf(refused, HostNotAllowedError)
    assert.equal(
      refused.message,
      `plugin "demo" may not call 127.0.0.1:${other.port}: add it to herald.network.hosts in its package.json, or set a URL setting to it`
    )
    assert.lengthOf(other.hits, 0)
  })

  test('a redirect to another host is refused before it is followed', async ({ assert }) => {
    server.handler = (_request, response) => {
      response.writeHead(307, { location: `${other.url}/steal` })
      response.end()
    }
    const error = await rejection(
      client().request({ method: 'POST', url: `${server.url}/a`, body: { a: 1 } })
    )
    assert.instanceOf(error, HostNotAllowedError)
    assert.lengthOf(other.hits, 0)
  })

  test('host patterns: bare names on any port, host:port exactly, *.domain for subdomains', ({
    assert,
  }) => {
    assert.isTrue(hostMatches(new URL('https://api.example.com:8443/x'), 'api.example.com'))
    assert.isFalse(hostMatches(new URL('http://127.0.0.1:81/'), '127.0.0.1:80'))
    assert.isTrue(hostMatches(new URL('https://a.cdn.example.com/'), '*.cdn.example.com'))
    assert.isFalse(hostMatches(new URL('https://cdn.example.com/'), '*.cdn.example.com'))
    assert.isFalse(hostMatches(new URL('https://evilexample.com/'), '*.example.com'))
  })

  test('a timeout after the request was sent has phase response', async ({ assert }) => {
    server.handler = () => {}
    const started = Date.now()
    const error = await rejection(
      client().request({ method: 'POST', url: `${server.url}/slow`, body: { a: 1 } })
    )
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'response')
    assert.isBelow(Date.now() - started, 2000)
  })

  test('a dropped connection after the request was sent has phase response', async ({ assert }) => {
    server.handler = (request) => request.socket.destroy()
    const error = await rejection(
      client().request({ method: 'POST', url: `${server.url}/drop`, body: 'x' })
    )
    assert.instanceOf(error, HttpNetworkError)
    assert.equal((error as HttpNetworkError).phase, 'response')
  })

  test('a refused connection and a DNS that never answers have phase connect', async ({
    assert,
  }) => {
    const closed = new LocalServer()
    await closed.start()
    const port = closed.port
    await closed.stop()
    const refused = await rejection(
      SafeHttpClient.forHosts([`127.0.0.1:${port}`]).request({
        method: 'POST',
        url: `http://127.0.0.1:${port}/`,
        body: 'x',
      })
    )
    assert.instanceOf(refused, HttpNetworkError)
    assert.equal((refused as HttpNetworkError).phase, 'connect')

    const dns = new SafeHttpClient({ limits: { timeoutMs: 300 } }).forUserUrl({
      lookup: fakeDns({}),
    })
    try {
      const hung = await rejection(
        dns.request({ method: 'POST', url: 'http://hang.test/', body: 'x' })
      )
      assert.instanceOf(hung, HttpTimeoutError)
      assert.equal((hung as HttpTimeoutError).phase, 'connect')
    } finally {
      await dns.close()
    }
  })

  test('aborting the signal rejects with its reason at once', async ({ assert }) => {
    server.handler = () => {}
    const controller = new AbortController()
    const pending = client({ timeoutMs: 5000 }).request({
      method: 'GET',
      url: `${server.url}/`,
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(new Error('user cancelled')), 50)
    const started = Date.now()
    const error = await rejection(pending)
    assert.equal(error.message, 'user cancelled')
    assert.isBelow(Date.now() - started, 1000)
  })

  test('a response over the size limit fails, declared or streamed', async ({ assert }) => {
    for (const declared of [true, false]) {
      server.handler = (_request, response) => {
        if (declared) response.setHeader('content-length', 4096)
        response.end(Buffer.alloc(4096, 97))
      }
      const error = await rejection(
        client({ maxResponseBytes: 1024 }).request({ method: 'GET', url: `${server.url}/big` })
      )
      assert.instanceOf(error, HttpNetworkError)
      assert.match(error.message, /response larger than 1024 bytes/)
    }
  })

  test('encodes bodies and never asks for compressed responses', async ({ assert }) => {
    server.handler = (request, response, body) => {
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ type: request.headers['content-type'], body: body.toString() }))
    }
    const json = await client()
      .request({
        method: 'POST',
        url: `${server.url}/j`,
        body: { a: 1 },
        headers: { 'Accept-Encoding': 'gzip' },
      })
      .then((response) => response.json<{ type: string; body: string }>())
    assert.deepEqual(json, { type: 'application/json', body: '{"a":1}' })
    assert.isUndefined(server.hits[0].headers['accept-encoding'])
    assert.match(String(server.hits[0].headers['user-agent']), /^Herald/)

    const form = new FormData()
    form.set('field', 'value')
    form.set('file', new Blob(['bytes'], { type: 'image/png' }), 'a.png')
    const multipart = await client()
      .request({ method: 'POST', url: `${server.url}/f`, body: form })
      .then((response) => response.json<{ type: string; body: string }>())
    assert.match(multipart.type, /^multipart\/form-data; boundary=/)
    assert.include(multipart.body, 'name="file"; filename="a.png"')
  })

  test('a 303 after a POST continues as a GET without body or cross-origin credentials', async ({
    assert,
  }) => {
    const both = SafeHttpClient.forHosts([`127.0.0.1:${server.port}`, `127.0.0.1:${other.port}`])
    server.handler = (_request, response) => {
      response.writeHead(303, { location: `${other.url}/result` })
      response.end()
    }
    const response = await both.request({
      method: 'POST',
      url: `${server.url}/create`,
      body: { a: 1 },
      headers: { authorization: 'Bearer secret-token' },
    })
    assert.equal(response.status, 200)
    assert.equal(other.hits[0].method, 'GET')
    assert.equal(other.hits[0].body.length, 0)
    assert.isUndefined(other.hits[0].headers.authorization)
  })
})

test.group('Safe HTTP client: streamed bodies', (group) => {
  const server = new LocalServer()
  group.setup(async () => {
    await server.start()
    return () => server.stop()
  })
  group.each.setup(() => {
    server.hits = []
    server.handler = (_request, response) => response.end('ok')
  })

  const client = (limits = {}) =>
    SafeHttpClient.forHosts([`127.0.0.1:${server.port}`], {
      caller: 'plugin "demo"',
      limits: { timeoutMs: 400, ...limits },
    })
  const decode = (chunk: Uint8Array) => new TextDecoder().decode(chunk)
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const until = async (condition: () => boolean, withinMs = 1000) => {
    const deadline = performance.now() + withinMs
    while (!condition() && performance.now() < deadline) await sleep(5)
    return condition()
  }
  /**
   * Makes the server write `first`, then wait for the returned `release()` before writing `rest` and
   * ending (or, with `end: false`, keeping the response open).
   */
  const holdAfter = (first: string | Buffer, rest: string | Buffer = '', end = true) => {
    let release = () => {}
    const released = new Promise<void>((resolve) => (release = resolve))
    const seen = { closedEarly: false }
    server.handler = (_request, response) => {
      response.on('close', () => (seen.closedEarly = !response.writableFinished))
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write(first)
      void released.then(() => (end ? response.end(rest) : response.write(rest)))
    }
    return { release, seen }
  }

  test('yields chunks as they arrive, in allowlist and user-URL modes', async ({ assert }) => {
    const hooked = new SafeHttpClient().forUserUrl({ allowLoopbackPorts: [server.port] })
    try {
      for (const http of [client(), hooked]) {
        const { release } = holdAfter('first', 'second')
        const response = await http.request({ method: 'GET', url: `${server.url}/sse` })
        const iterator = response.stream()[Symbol.asyncIterator]()
        const first = await iterator.next()
        assert.equal(decode(first.value!), 'first', 'read while the server holds the rest')
        release()
        const rest: string[] = []
        for (let next = await iterator.next(); !next.done; next = await iterator.next())
          rest.push(decode(next.value))
        assert.equal(rest.join(''), 'second')
      }
    } finally {
      await hooked.close()
    }
  })

  test('a live stream outlasts timeoutMs; only the idle limit applies', async ({ assert }) => {
    server.handler = (_request, response) => {
      response.writeHead(200)
      void (async () => {
        for (let index = 0; index < 5; index++) {
          response.write(`${index}`)
          await sleep(80)
        }
        response.end()
      })()
    }
    const response = await client({ timeoutMs: 150 }).request({
      method: 'GET',
      url: `${server.url}/live`,
      idleTimeoutMs: 1000,
    })
    const chunks: string[] = []
    for await (const chunk of response.stream()) chunks.push(decode(chunk))
    assert.equal(chunks.join(''), '01234')
  })

  test('a whole read is still bounded by timeoutMs', async ({ assert }) => {
    holdAfter('partial')
    const response = await client({ timeoutMs: 200 }).request({
      method: 'GET',
      url: `${server.url}/stalled`,
    })
    const error = await rejection(response.text())
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'response')
  })

  test('a stalled stream fails with HttpTimeoutError after idleTimeoutMs', async ({ assert }) => {
    const { seen } = holdAfter('partial')
    const response = await client({ timeoutMs: 5000 }).request({
      method: 'GET',
      url: `${server.url}/stalled`,
      idleTimeoutMs: 200,
    })
    const iterator = response.stream()[Symbol.asyncIterator]()
    assert.equal(decode((await iterator.next()).value!), 'partial')
    const started = performance.now()
    const error = await rejection(iterator.next())
    assert.instanceOf(error, HttpTimeoutError)
    assert.equal((error as HttpTimeoutError).phase, 'response')
    assert.include(error.message, '200 ms')
    assert.isAbove(performance.now() - started, 150)
    assert.isBelow(performance.now() - started, 1000)
    assert.isTrue(await until(() => seen.closedEarly), 'the connection was closed')
  })

  test('the size limit is enforced while streaming', async ({ assert }) => {
    const { release, seen } = holdAfter(Buffer.alloc(600, 97), Buffer.alloc(600, 98), false)
    const response = await client({ maxResponseBytes: 1024 }).request({
      method: 'GET',
      url: `${server.url}/big`,
    })
    const iterator = response.stream()[Symbol.asyncIterator]()
    assert.equal((await iterator.next()).value!.length, 600, 'the first chunk is under the limit')
    release()
    const error = await rejection(
      (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next());
      })()
    )
    assert.instanceOf(error, HttpNetworkError)
    assert.equal((error as HttpNetworkError).phase, 'response')
    assert.match(error.message, /response larger than 1024 bytes/)
    assert.isTrue(await until(() => seen.closedEarly), 'the connection was closed')
  })

  test('an abort mid-stream rejects with the reason and closes the connection', async ({
    assert,
  }) => {
    const { seen } = holdAfter('partial')
    const controller = new AbortController()
    const response = await client({ timeoutMs: 5000 }).request({
      method: 'GET',
      url: `${server.url}/sse`,
      signal: controller.signal,
    })
    const iterator = response.stream()[Symbol.asyncIterator]()
    await iterator.next()
    setTimeout(() => controller.abort(new Error('user cancelled')), 20)
    const started = performance.now()
    const error = await rejection(iterator.next())
    assert.equal(error.message, 'user cancelled')
    assert.isBelow(performance.now() - started, 500)
    assert.isTrue(await until(() => seen.closedEarly), 'the connection was closed')
  })

  test('leaving the loop early closes the connection', async ({ assert }) => {
    const { seen } = holdAfter('partial')
    const response = await client({ timeoutMs: 5000 }).request({
      method: 'GET',
      url: `${server.url}/sse`,
    })
    for await (const chunk of response.stream()) {
      assert.equal(decode(chunk), 'partial')
      break
    }
    assert.isTrue(await until(() => seen.closedEarly), 'the connection was closed')
  })

  test('a body larger than the read-ahead buffer arrives whole after a slow start', async ({
    assert,
  }) => {
    const big = Buffer.alloc(3 * 1024 * 1024)
    for (let index = 0; index < big.length; index++) big[index] = index % 251
    server.handler = (_request, response) => response.end(big)
    for (const read of ['bytes', 'stream'] as const) {
      const response = await client().request({ method: 'GET', url: `${server.url}/big` })
      await sleep(100) // the socket is paused once 256 KiB wait unread, resumed as they are read
      let body: Buffer
      if (read === 'bytes') body = Buffer.from(await response.bytes())
      else {
        const chunks: Uint8Array[] = []
        for await (const chunk of response.stream()) chunks.push(chunk)
        body = Buffer.concat(chunks)
      }
      assert.isTrue(body.equals(big), read)
    }
  })

  test('the body is read once: stream() excludes text(), json(), bytes() and itself', async ({
    assert,
  }) => {
    server.handler = (_request, response) => response.end('{"ok":true}')
    const streamed = await client().request({ method: 'GET', url: `${server.url}/once` })
    const chunks: string[] = []
    for await (const chunk of streamed.stream()) chunks.push(decode(chunk))
    assert.equal(chunks.join(''), '{"ok":true}')
    assert.throws(() => streamed.stream(), /already read with stream\(\)/)
    for (const read of [() => streamed.text(), () => streamed.json(), () => streamed.bytes()]) {
      assert.instanceOf(await rejection(read()), HttpBodyUsedError)
    }
    const whole = await client().request({ method: 'GET', url: `${server.url}/once` })
    assert.deepEqual(await whole.json(), { ok: true })
    assert.equal(await whole.text(), '{"ok":true}')
    assert.throws(() => whole.stream(), HttpBodyUsedError)
  })
})
