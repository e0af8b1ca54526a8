import { copyFile, mkdtemp, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '#libs/kafka-local'
import { functionEndpoint, stopAnd } from './endpoint.ts'
import { spawnRuntime, waitHealthy } from './runtime-process.ts'
import type { FunctionEndpoint, StartOptions } from './types.ts'

// The workerd package resolves its platform build (@cloudflare/workerd-<os>-<cpu>) itself.
const workerd = createRequire(import.meta.url)('workerd') as { default: string; compatibilityDate: string }
const fixtures = fileURLToPath(new URL('../../fixtures/functions/', import.meta.url))
/** The Worker's modules, its main module first. */
const workers = {
  recorder: ['worker.js', 'function-app.js', 'behaviour.js', 'cloudevent.js', 'webhook-signature.js'],
  hello: ['hello-worker.js'],
} as const

/** The Workers in test/fixtures/functions: the recording test function, or the bench's no-op. */
export type WorkerName = keyof typeof workers

/** A workerd config: one ES-module Worker behind one HTTP socket on loopback. */
export function workerdConfig(port: number, compatibilityDate: string, modules: readonly string[]): string {
  const moduleList = modules.map((name) => `    (name = "${name}", esModule = embed "${name}"),`).join('\n')
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
${moduleList}
  ],
  compatibilityDate = "${compatibilityDate}",
);
`
}

/**
 * Runs `workerd serve` on a config generated for this start (its port, the Worker's modules copied
 * beside it, since capnp embeds paths relative to the config file) in a temporary directory that
 * goes with the process.
 */
export async function launchWorkerd(
  options: StartOptions & { worker?: WorkerName } = {},
): Promise<FunctionEndpoint> {
  const worker = options.worker ?? 'recorder'
  const modules = workers[worker]
  const port = options.port ?? (await freePort())
  const dir = await mkdtemp(join(tmpdir(), 'workerd-'))
  for (const name of modules) await copyFile(join(fixtures, name), join(dir, name))
  await writeFile(join(dir, 'config.capnp'), workerdConfig(port, workerd.compatibilityDate, modules))
  const runtime = spawnRuntime(workerd.default, ['serve', 'config.capnp'], dir, dir)
  const url = `http://127.0.0.1:${port}`
  try {
    // The hello Worker answers every path, so readiness is its own answer.
    const health = worker === 'hello' ? `${url}/` : `${url}/__health`
    await waitHealthy('workerd', health, runtime, options.startupTimeoutMs ?? 20_000)
  } catch (error) {
    await runtime.stop()
    throw error
  }
  const endpoint = functionEndpoint('workerd', url, runtime)
  if (options.behaviour) await endpoint.setBehaviour(options.behaviour).catch(stopAnd(endpoint))
  return endpoint
}
