// `node scripts/node24.js <file.ts> [args]`: runs a project script under the project's Node 24.
// npm start and npm test go through here, under whatever Node the shell has (these machines ship
// Node 20, end of life). It first installs the locked dependencies, Node 24 among them, when
// node_modules is missing or older than package-lock.json, so both commands work on a fresh clone.
// Plain JS on purpose: it must run before TypeScript can.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { withSourceCondition } from './source-condition.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const node24 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
// npm writes node_modules/.package-lock.json after every install: older than the lockfile means
// the lockfile changed since (a pull, a branch switch).
const installedLock = new URL('../node_modules/.package-lock.json', import.meta.url)
const lock = new URL('../package-lock.json', import.meta.url)
// The patches patch-package applies after an install (patches/) count as part of the lock.
const patches = new URL('../patches/', import.meta.url)
const lockInputs = [
  lock,
  ...(existsSync(patches) ? readdirSync(patches).map((name) => new URL(name, patches)) : []),
]
const installedAt = existsSync(installedLock) ? statSync(installedLock).mtimeMs : undefined
const installed =
  existsSync(node24) &&
  installedAt !== undefined &&
  lockInputs.every((input) => statSync(input).mtimeMs <= installedAt)
if (!installed) {
  process.stderr.write('[setup] installing the locked dependencies (npm ci), Node 24 included...\n')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
}

// The workspace packages (libs/errors, libs/client, ...) resolve to their TypeScript sources under
// the `event-backbone-source` export condition and to their built dist/ otherwise (as installed by
// other repositories). Through NODE_OPTIONS every child process (test files, services) has it too.
const env = { ...process.env, NODE_OPTIONS: withSourceCondition(process.env.NODE_OPTIONS) }
const child = spawn(node24, process.argv.slice(2), { stdio: 'inherit', env })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)))
