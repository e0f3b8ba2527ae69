/**
 * Child process for the embedded PostgreSQL tests: owns a server for the given
 * data folder and port, prints "READY", then waits to be killed.
 * Usage: node --import=@poppinss/ts-exec tests/helpers/embedded_pg_owner.ts <dir> <port> <log>
 */
import { EmbeddedPostgres } from '#services/embedded_postgres'

const [dataDir, port, logFile] = process.argv.slice(2)
const server = new EmbeddedPostgres({ dataDir, port: Number(port), logFile })
const address = await server.ensureRunning()
process.stdout.write(`READY ${server.ownership} ${address.port} ${server.dataDir}\n`)
process.on('SIGTERM', async () => {
  await server.stop()
  process.exit(0)
})
setInterval(() => {}, 60_000)
