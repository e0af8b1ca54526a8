// Runs before `npm start` and `npm test`, under whatever Node the shell has (the machines ship
// Node 20). It installs the locked dependencies, Node 24 among them, when node_modules is missing
// or older than package-lock.json, so both commands work on a fresh clone. Plain JS on purpose.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const lock = readFileSync(new URL('../package-lock.json', import.meta.url))
const digest = createHash('sha256').update(lock).digest('hex')
const marker = new URL('../node_modules/.event-backbone-installed', import.meta.url)
const node24 = new URL('../node_modules/node/bin/node', import.meta.url)

const installed = existsSync(marker) && readFileSync(marker, 'utf8') === digest && existsSync(node24)
if (!installed) {
  process.stderr.write('[setup] installing locked dependencies (npm ci)...\n')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  writeFileSync(marker, digest)
}
