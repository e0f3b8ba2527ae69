/**
 * The benchmarks' side of the fake X that runs in a process of its own
 * (bench/fake_x_process.ts), so the platform does not share the measured
 * process's CPU, as a real platform would not.
 */
import { fork, type ChildProcess } from 'node:child_process'

/** The fake X in its own process (bench/fake_x_process.ts), asked over IPC */
export class FakeXProcess {
  #child: ChildProcess
  #next = 1
  #waiting = new Map<number, (body: unknown) => void>()

  private constructor(child: ChildProcess) {
    this.#child = child
    child.on('message', (message: { id: number; body: unknown }) => {
      this.#waiting.get(message.id)?.(message.body)
      this.#waiting.delete(message.id)
    })
  }

  static async start(latency: { p50: number; p99: number }) {
    const child = fork(new URL('../fake_x_process.ts', import.meta.url).pathname, {
      execArgv: ['--import=@poppinss/ts-exec'],
      env: {
        ...process.env,
        BENCH_LATENCY_MS: String(latency.p50),
        BENCH_LATENCY_P99_MS: String(latency.p99),
      },
    })
    await new Promise((ready) => child.once('message', ready))
    return new FakeXProcess(child)
  }

  ask(type: string): Promise<unknown> {
    const id = this.#next++
    return new Promise((answer) => {
      this.#waiting.set(id, answer)
      this.#child.send({ type, id })
    })
  }

  async stop() {
    const exited = new Promise((done) => this.#child.once('exit', done))
    this.#child.send({ type: 'stop', id: 0 })
    await exited
  }
}
