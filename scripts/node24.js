// `node scripts/node24.js <file.ts> [args]`: runs a project script under the project's Node 24.
// npm start and npm test go through here, under whatever Node the shell has (these machines ship
// Node 20, end of life). It first installs the locked dependencies, Node 24 among them, when
// node_modules is missing or older than package-lock.json, so both commands work on a fresh clone.
// Plain JS on purpose: it must run before TypeScript can.
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const node24 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
const marker = new URL('../node_modules/.event-backbone-installed', import.meta.url)
const lockDigest = createHash('sha256')
  .update(readFileSync(new URL('../package-lock.json', import.meta.url)))
  .digest('hex')

const installed = existsSync(node24) && existsSync(marker) && readFileSync(marker, 'utf8') === lockDigest
if (!installed) {
  process.stderr.write('[setup] installing the locked dependencies (npm ci), Node 24 included...\n')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  writeFileSync(marker, lockDigest)
}

const child = spawn(node24, process.argv.slice(2), { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)))
