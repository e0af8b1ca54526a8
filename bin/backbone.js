#!/usr/bin/env node
// Entry point of the `backbone` CLI. It is plain JavaScript so that any Node can start it: the
// project runs on Node 24 (TypeScript type stripping), which the `node` devDependency brings. When a
// shell's older Node runs this file, it hands over to the project's Node 24.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const major = Number(process.versions.node.split('.')[0])
if (major >= 24) {
  await import('../libs/cli/main.ts')
} else {
  const node24 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
  if (!existsSync(node24)) {
    process.stderr.write(`backbone: Node 24 is needed (this is ${process.version}); run \`npm ci\` first\n`)
    process.exit(1)
  }
  const child = spawn(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)))
}
