/**
 * Runs after `node ace build` (npm run build): puts every workspace under packages/
 * (the plugin SDK, the shared Meta Graph client...) in build/ as an installable
 * package (its compiled build/ and a package.json without lifecycle scripts), so
 * `npm install --omit=dev` inside build/ links them for the plugins exactly as in
 * development.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'

const entries = await readdir('packages', { withFileTypes: true })
const workspaces = entries
  .filter((entry) => entry.isDirectory() && existsSync(`packages/${entry.name}/package.json`))
  .map((entry) => entry.name)
  .sort()

for (const name of workspaces) {
  const source = `packages/${name}`
  const target = `build/packages/${name}`
  if (!existsSync(`${source}/build/index.js`)) {
    console.error(
      `${source}/build is missing: run npm install (it builds the packages) before npm run build`
    )
    process.exit(1)
  }
  await rm(target, { recursive: true, force: true })
  await mkdir(target, { recursive: true })
  await cp(`${source}/build`, `${target}/build`, { recursive: true })
  if (existsSync(`${source}/README.md`)) await cp(`${source}/README.md`, `${target}/README.md`)
  const manifest = JSON.parse(await readFile(`${source}/package.json`, 'utf8'))
  delete manifest.scripts
  delete manifest.devDependencies
  await writeFile(`${target}/package.json`, JSON.stringify(manifest, null, 2) + '\n')
  console.log(`${manifest.name} copied to ${target}`)
}
