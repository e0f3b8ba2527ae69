import env from '#start/env'
import { appUrl } from '#config/app'
import { defineConfig, stores } from '@adonisjs/session'

const sessionConfig = defineConfig({
  enabled: true,
  cookieName: 'herald-session',

  /**
   * Sessions outlive the browser window; agency staff stay signed in for a
   * working day.
   */
  clearWithBrowser: false,
  age: '12h',

  /**
   * Secure cookies whenever Herald is served over HTTPS (APP_URL), so a
   * plain-http local run still signs in.
   */
  cookie: {
    path: '/',
    httpOnly: true,
    secure: appUrl.startsWith('https://'),
    sameSite: 'lax',
  },

  /**
   * Encrypted cookie store: nothing to run, works across web replicas.
   */
  store: env.get('SESSION_DRIVER', 'cookie'),

  stores: {
    cookie: stores.cookie(),
  },
})

export default sessionConfig
