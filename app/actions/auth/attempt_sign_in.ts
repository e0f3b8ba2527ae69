import limiter from '@adonisjs/limiter/services/main'
import { DateTime } from 'luxon'
import User from '#models/user'

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' | 'deactivated' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }

/**
 * Checks credentials with a brute-force brake: 5 failed attempts for one
 * email from one address within 15 minutes block that pair for 15 minutes.
 * Successful sign-ins cost nothing (limiter.penalize).
 */
export class AttemptSignIn {
  static attempts = 5

  /**
   * The limiter. @adonisjs/limiter caches it process-wide with the database
   * client current at its creation, so tests create it before any global
   * transaction (tests/bootstrap.ts): made inside one, it kept that
   * transaction's connection after the rollback, until the pool closed it.
   */
  static brake() {
    return limiter.use({
      requests: AttemptSignIn.attempts,
      duration: '15 mins',
      blockDuration: '15 mins',
    })
  }

  async execute(email: string, password: string, ip: string): Promise<SignInResult> {
    const brake = AttemptSignIn.brake()
    const key = `sign_in_${ip}_${email}`
    let user: User
    try {
      const [throttled, verified] = await brake.penalize(key, () =>
        User.verifyCredentials(email, password)
      )
      if (throttled) {
        return { ok: false, reason: 'throttled', retryAfterSeconds: throttled.response.availableIn }
      }
      user = verified
    } catch (error) {
      if ((error as { code?: string }).code === 'E_INVALID_CREDENTIALS') {
        return { ok: false, reason: 'invalid' }
      }
      throw error
    }
    if (!user.isActive) {
      return { ok: false, reason: 'deactivated' }
    }
    user.lastSignInAt = DateTime.now()
    await user.save()
    return { ok: true, user }
  }
}
