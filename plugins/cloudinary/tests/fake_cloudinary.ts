import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/**
 * A fake of Cloudinary's Upload API (upload and destroy) on 127.0.0.1, faithful to the parts Herald
 * uses: multipart requests, signed parameters checked like the real API (api_key, timestamp no older
 * than an hour, SHA-1 or SHA-256 signature of the sorted parameters followed by the API secret), the
 * real response shape, and errors as `{"error":{"message"}}` with the statuses Cloudinary uses.
 */

/** Fake account. */
export interface FakeCloudinaryOptions {
  cloudName?: string
  apiKey?: string
  apiSecret?: string
  signatureAlgorithm?: 'sha1' | 'sha256'
  /** Current time of the fake (default the real clock). */
  now?: () => Date
}

/** An asset the fake holds. */
export interface FakeAsset {
  publicId: string
  resourceType: string
  bytes: Uint8Array
  format: string
  width?: number
  height?: number
  version: number
}

/** A fault applied to every request until `reset()`. */
export type FakeCloudinaryFault =
  | { kind: 'status'; status: number; message: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' }

/** What the fake received. */
export interface FakeCloudinaryRequest {
  method: string
  path: string
  fields: Record<string, string>
  hasFile: boolean
}

const MAX_AGE_SECONDS = 3600

/**
 * The string Cloudinary signs: parameters except file, cloud_name, resource_type, api_key and
 * signature, empty ones dropped, sorted by name, `name=value` joined by `&`, with `&` inside a pair
 * written `%26` (signature version 2).
 */
export function cloudinaryStringToSign(params: Record<string, string>): string {
  const excluded = new Set(['file', 'cloud_name', 'resource_type', 'api_key', 'signature'])
  return Object.entries(params)
    .filter(([name, value]) => !excluded.has(name) && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`.replace(/&/g, '%26'))
    .join('&')
}

export function cloudinarySignature(
  params: Record<string, string>,
  secret: string,
  algorithm: 'sha1' | 'sha256' = 'sha1'
): string {
  return createHash(algorithm)
    .update(cloudinaryStringToSign(params) + secret)
    .digest('hex')
}

/** Format and size from the magic bytes of PNG, GIF and JPEG files. */
function inspectImage(
  bytes: Uint8Array
): { format: string; width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e) {
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) }
  }
  if (bytes.length >= 10 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) }
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    for (let offset = 2; offset + 9 < bytes.length;) {
      const marker = bytes[offset + 1]
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return {
          format: 'jpg',
          height: view.getUint16(offset + 5),
          width: view.getUint16(offset + 7),
        }
      }
      offset += 2 + view.getUint16(offset + 2)
    }
  }
  return undefined
}

export class FakeCloudinary {
  readonly cloudName: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly signatureAlgorithm: 'sha1' | 'sha256'
  readonly assets = new Map<string, FakeAsset>()
  readonly requests: FakeCloudinaryRequest[] = []
  fault?: FakeCloudinaryFault
  now: () => Date
  #server?: Server
  #sockets = new Set<Socket>()

  constructor(options: FakeCloudinaryOptions = {}) {
    this.cloudName = options.cloudName ?? 'herald-test'
    this.apiKey = options.apiKey ?? '123456789012345'
    this.apiSecret = options.apiSecret ?? 'fake-cloudinary-api-secret-0042'
    this.signatureAlgorithm = options.signatureAlgorithm ?? 'sha1'
    this.now = options.now ?? (() => new Date())
  }

  /** Base URL to use as the plugin's `apiBaseUrl` (Cloudinary's `upload_prefix`). */
  get url(): string {
    const address = this.#server?.address()
    if (!address || typeof address === 'string') throw new Error('FakeCloudinary is not started')
    return `http://127.0.0.1:${address.port}`
  }

  get port(): number {
    return Number(new URL(this.url).port)
  }

  async start(): Promise<void> {
    this.#server = createServer((request, response) => void this.#handle(request, response))
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => this.#sockets.delete(socket))
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve()
    )
  }

  reset(): void {
    this.fault = undefined
    this.assets.clear()
    this.requests.length = 0
  }

  /** Every request answers with this status and Cloudinary's error body. */
  fail(status: number, message = 'General Error', headers?: Record<string, string>): void {
    this.fault = { kind: 'status', status, message, headers }
  }

  /** Requests are read and never answered (a timeout for the client). */
  hang(): void {
    this.fault = { kind: 'hang' }
  }

  /** Requests are read, then the connection is closed without an answer. */
  drop(): void {
    this.fault = { kind: 'drop' }
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const path = new URL(request.url ?? '/', 'http://fake').pathname
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      response.end(JSON.stringify(json))
    }
    const error = (status: number, message: string, headers?: Record<string, string>) =>
      send(status, { error: { message } }, headers)

    let form: FormData | undefined
    if (request.method === 'POST') {
      try {
        form = await new Request('http://fake/', {
          method: 'POST',
          headers: { 'content-type': request.headers['content-type'] ?? '' },
          body,
        }).formData()
      } catch {
        form = undefined
      }
    }
    const fields: Record<string, string> = {}
    let file: File | undefined
    for (const [name, value] of form?.entries() ?? []) {
      if (typeof value === 'string') fields[name] = value
      else if (name === 'file') file = value
    }
    this.requests.push({ method: request.method ?? 'GET', path, fields, hasFile: !!file })

    if (this.fault?.kind === 'hang') return
    if (this.fault?.kind === 'drop') return void request.socket.destroy()
    if (this.fault?.kind === 'status') {
      return error(this.fault.status, this.fault.message, this.fault.headers)
    }

    const match = /^\/v1_1\/([^/]+)\/([^/]+)\/(upload|destroy)$/.exec(path)
    if (request.method !== 'POST' || !match) return error(404, 'Resource not found')
    const [, cloud, resourceType, action] = match
    if (cloud !== this.cloudName) return error(404, `Invalid cloud_name ${cloud}`)
    if (!['image', 'video', 'raw', 'auto'].includes(resourceType)) {
      return error(404, 'Resource not found')
    }
    if (!form) return error(400, 'Missing required parameter - file')

    const refusal = this.#checkAuth(fields)
    if (refusal) return error(refusal.status, refusal.message)

    if (action === 'destroy') {
      const publicId = fields.public_id
      if (!publicId) return error(400, 'Missing required parameter - public_id')
      const existed = this.assets.delete(`${resourceType}/${publicId}`)
      return send(200, { result: existed ? 'ok' : 'not found' })
    }

    if (!file) return error(400, 'Missing required parameter - file')
    const bytes = new Uint8Array(await file.arrayBuffer())
    const image = inspectImage(bytes)
    const type = resourceType === 'auto' ? (image ? 'image' : 'raw') : resourceType
    if (type === 'image' && !image) return error(400, 'Invalid image file')
    return send(200, this.#store(fields, type, bytes, image, file.name))
  }

  /** The checks the Upload API applies to signed requests, in its order. */
  #checkAuth(fields: Record<string, string>): { status: number; message: string } | undefined {
    if (!fields.api_key) return { status: 400, message: 'Must supply api_key' }
    if (fields.api_key !== this.apiKey) {
      return { status: 401, message: `Invalid api_key ${fields.api_key}` }
    }
    if (!fields.timestamp) return { status: 400, message: 'Missing required parameter - timestamp' }
    const timestamp = Number(fields.timestamp)
    const nowSeconds = Math.floor(this.now().getTime() / 1000)
    if (!Number.isInteger(timestamp) || nowSeconds - timestamp > MAX_AGE_SECONDS) {
      const reported = Number.isInteger(timestamp)
        ? new Date(timestamp * 1000).toISOString()
        : fields.timestamp
      return {
        status: 400,
        message: `Stale request - reported time is ${reported} which is more than 1 hour ago`,
      }
    }
    if (!fields.signature) return { status: 400, message: 'Missing required parameter - signature' }
    const expected = cloudinarySignature(fields, this.apiSecret, this.signatureAlgorithm)
    if (fields.signature !== expected) {
      return {
        status: 401,
        message: `Invalid Signature ${fields.signature}. String to sign - '${cloudinaryStringToSign(fields)}'.`,
      }
    }
    return undefined
  }

  #store(
    fields: Record<string, string>,
    resourceType: string,
    bytes: Uint8Array,
    image: ReturnType<typeof inspectImage>,
    filename: string
  ) {
    const publicId = fields.public_id || randomBytes(10).toString('hex')
    const existing = this.assets.has(`${resourceType}/${publicId}`)
    const version = Math.floor(this.now().getTime() / 1000)
    const format = image?.format ?? (resourceType === 'raw' ? '' : 'bin')
    this.assets.set(`${resourceType}/${publicId}`, {
      publicId,
      resourceType,
      bytes,
      format,
      width: image?.width,
      height: image?.height,
      version,
    })
    const path = `${this.cloudName}/${resourceType}/upload/v${version}/${publicId}${format ? `.${format}` : ''}`
    return {
      asset_id: randomBytes(16).toString('hex'),
      public_id: publicId,
      version,
      version_id: randomBytes(16).toString('hex'),
      signature: createHash('sha1')
        .update(`public_id=${publicId}&version=${version}${this.apiSecret}`)
        .digest('hex'),
      width: image?.width,
      height: image?.height,
      format,
      resource_type: resourceType,
      created_at: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      tags: [],
      pages: 1,
      bytes: bytes.byteLength,
      type: 'upload',
      etag: createHash('md5').update(bytes).digest('hex'),
      placeholder: false,
      url: `http://res.cloudinary.com/${path}`,
      secure_url: `https://res.cloudinary.com/${path}`,
      folder: publicId.includes('/') ? publicId.slice(0, publicId.lastIndexOf('/')) : '',
      access_mode: 'public',
      existing,
      original_filename: filename.replace(/\.[^.]*$/, ''),
      api_key: this.apiKey,
    }
  }
}
