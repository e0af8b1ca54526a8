import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '#libs/kafka-local'
import { functionEndpoint, stopAnd } from './endpoint.ts'
import { spawnRuntime, waitHealthy } from './runtime-process.ts'
import type { FunctionEndpoint, StartOptions } from './types.ts'

const frameworkMain = join(
  dirname(fileURLToPath(import.meta.resolve('@google-cloud/functions-framework'))),
  'main.js',
)
const source = fileURLToPath(new URL('../../fixtures/functions/functions-framework.js', import.meta.url))
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** The targets in test/fixtures/functions/functions-framework.js. */
export type FrameworkTarget = 'recorder' | 'hello'

/**
 * Runs the Functions Framework's own CLI (`functions-framework --target --signature-type=http
 * --port --source`) under this Node. The framework has no host option and listens on every
 * interface; the harness talks to it on 127.0.0.1.
 */
export async function launchFunctionsFramework(
  options: StartOptions & { target?: FrameworkTarget } = {},
): Promise<FunctionEndpoint> {
  const port = options.port ?? (await freePort())
  const target = options.target ?? 'recorder'
  const runtime = spawnRuntime(
    process.execPath,
    [frameworkMain, `--target=${target}`, '--signature-type=http', `--port=${port}`, `--source=${source}`],
    repoRoot,
  )
  const url = `http://127.0.0.1:${port}`
  // The hello target answers every path, so readiness is its own answer.
  const health = target === 'hello' ? `${url}/` : `${url}/__health`
  try {
    await waitHealthy('functions-framework', health, runtime, options.startupTimeoutMs ?? 20_000)
  } catch (error) {
    await runtime.stop()
    throw error
  }
  const endpoint = functionEndpoint('functions-framework', url, runtime)
  if (options.behaviour) await endpoint.setBehaviour(options.behaviour).catch(stopAnd(endpoint))
  return endpoint
}
