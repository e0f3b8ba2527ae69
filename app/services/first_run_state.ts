import User from '#models/user'

/**
 * Whether the first admin exists. Cached once true (it never becomes false
 * again while the process lives).
 */
export class FirstRunState {
  static #done = false

  static async isDone() {
    if (this.#done) return true
    const admin = await User.query().where('is_admin', true).select('id').first()
    this.#done = admin !== null
    return this.#done
  }

  /** Tests truncate tables between runs */
  static reset() {
    this.#done = false
  }
}
