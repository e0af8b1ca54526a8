#!/usr/bin/env node
// Entry point of the `backbone` CLI in a checkout of this repository (other repositories run the
// built @event-backbone/cli). It is plain JavaScript so that any Node can start it: the repository
// runs its TypeScript sources on Node 24 (type stripping), which the `node` devDependency brings,
// with the `event-backbone-source` export condition so the workspace packages resolve to their
// sources. When it is started without both, it hands over to a child that has them.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { SOURCE_CONDITION, withSourceCondition } from '../scripts/source-condition.js'

const major = Number(process.versions.node.split('.')[0])
const hasCondition = process.execArgv
  .concat((process.env.NODE_OPTIONS ?? '').split(/\s+/))
  .includes(`--conditions=${SOURCE_CONDITION}`)
if (major >= 24 && hasCondition) {
  await import('../libs/cli/main.ts')
} else {
  const node24 =
    major >= 24 ? process.execPath : fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
  if (!existsSync(node24)) {
    process.stderr.write(`backbone: Node 24 is needed (this is ${process.version}); run \`npm ci\` first\n`)
    process.exit(1)
  }
  const child = spawn(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: withSourceCondition(process.env.NODE_OPTIONS) },
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)))
}
