import type { Group } from '@japa/runner/core'
import { FakeX } from '#tests/fakes/x'
import { FakeLinkedIn } from '#tests/fakes/linkedin'
import { FakeMeta } from '#tests/fakes/meta'

/**
 * The X, LinkedIn and Meta fakes on 127.0.0.1, with the publisher plugins'
 * settings pointed at them through their environment variables (the
 * settings store reads process.env on every call). `stop()` puts the
 * environment back.
 */
export class PlatformFakes {
  readonly x = new FakeX()
  readonly linkedin = new FakeLinkedIn()
  readonly meta = new FakeMeta()
  #saved: Record<string, string | undefined> = {}

  /** Started for a group, stopped after it, reset (and pointed at again) before each test */
  useIn(group: Group) {
    group.setup(() => this.start())
    group.teardown(() => this.stop())
    group.each.setup(() => this.reset())
  }

  async start() {
    await Promise.all([this.x.start(), this.linkedin.start(), this.meta.start()])
    this.setEnv(this.env())
  }

  reset() {
    this.x.reset()
    this.linkedin.reset()
    this.meta.reset()
    this.setEnv(this.env())
  }

  async stop() {
    for (const [name, value] of Object.entries(this.#saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    this.#saved = {}
    await Promise.all([this.x.stop(), this.linkedin.stop(), this.meta.stop()])
  }

  /** Sets (or, with undefined, removes) environment variables, remembering the originals */
  setEnv(values: Record<string, string | undefined>) {
    for (const [name, value] of Object.entries(values)) {
      if (!(name in this.#saved)) this.#saved[name] = process.env[name]
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }

  /** The plugins' settings as environment variables pointing at the fakes */
  env(): Record<string, string> {
    const x = this.x.settings()
    const linkedin = this.linkedin.settings()
    const meta = this.meta.settings()
    const metaEnv = (prefix: string) => ({
      [`${prefix}_APP_ID`]: meta.appId,
      [`${prefix}_APP_SECRET`]: meta.appSecret,
      [`${prefix}_GRAPH_VERSION`]: meta.graphVersion,
      [`${prefix}_GRAPH_BASE_URL`]: meta.graphBaseUrl,
      [`${prefix}_DIALOG_BASE_URL`]: meta.dialogBaseUrl,
    })
    return {
      X_CLIENT_ID: x.clientId,
      X_CLIENT_SECRET: x.clientSecret,
      X_AUTHORIZE_URL: x.authorizeUrl,
      X_API_BASE_URL: x.apiBaseUrl,
      LINKEDIN_CLIENT_ID: linkedin.clientId,
      LINKEDIN_CLIENT_SECRET: linkedin.clientSecret,
      LINKEDIN_OAUTH_BASE_URL: linkedin.oauthBaseUrl,
      LINKEDIN_API_BASE_URL: linkedin.apiBaseUrl,
      ...metaEnv('FACEBOOK'),
      ...metaEnv('INSTAGRAM'),
    }
  }
}
