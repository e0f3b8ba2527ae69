/**
 * Runs after `node ace build` (npm run build): puts the plugin SDK workspace in
 * build/ as an installable package (its compiled build/ and a package.json
 * without lifecycle scripts), so `npm install --omit=dev` inside build/ links it
 * for the plugins exactly as in development.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'

const source = 'packages/plugin-sdk'
const target = 'build/packages/plugin-sdk'

if (!existsSync(`${source}/build/index.js`)) {
  console.error(`${source}/build is missing: run npm install (it builds the SDK) before npm run build`)
  process.exit(1)
}
await rm(target, { recursive: true, force: true })
await mkdir(target, { recursive: true })
await cp(`${source}/build`, `${target}/build`, { recursive: true })
const manifest = JSON.parse(await readFile(`${source}/package.json`, 'utf8'))
delete manifest.scripts
delete manifest.devDependencies
await writeFile(`${target}/package.json`, JSON.stringify(manifest, null, 2) + '\n')
console.log(`plugin SDK copied to ${target}`)
