import { setTimeout as delay } from 'node:timers/promises'
import type { AclEntry, AclFilter, Admin } from 'kafkajs'
import { type AclBinding, bindingKey, sortBindings } from './bindings.ts'

// The protocol's numbers (kafkajs's AclResourceTypes etc., which are not named ESM exports).
const resourceTypes = { TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5 } as const
const patternTypes = { LITERAL: 3, PREFIXED: 4 } as const
const operations = { READ: 3, WRITE: 4, CREATE: 5, DESCRIBE: 8, DESCRIBE_CONFIGS: 10 } as const
const ANY = 1
const ALLOW = 3

function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T | undefined {
  return (Object.keys(table) as (keyof T)[]).find((key) => table[key] === value)
}

function toEntry(binding: AclBinding): AclEntry {
  return {
    resourceType: resourceTypes[binding.resourceType],
    resourceName: binding.resourceName,
    resourcePatternType: patternTypes[binding.patternType],
    principal: binding.principal,
    host: binding.host,
    operation: operations[binding.operation],
    permissionType: ALLOW,
  } as unknown as AclEntry
}

/** A binding found on the cluster; `unexpected` when it is outside what a plan can express (a DENY, a host). */
export interface ClusterAcl {
  readonly binding?: AclBinding
  readonly unexpected?: string
}

/** Every ACL on the cluster (needs DESCRIBE on the cluster: the admin's credentials). */
export async function currentAcls(admin: Admin): Promise<ClusterAcl[]> {
  const filter = {
    resourceType: ANY,
    resourcePatternType: ANY,
    operation: ANY,
    permissionType: ANY,
  } as unknown as AclFilter
  const response = await admin.describeAcls(filter)
  const out: ClusterAcl[] = []
  for (const resource of response.resources) {
    for (const acl of resource.acls) {
      const resourceType = nameOf(resourceTypes, resource.resourceType)
      const patternType = nameOf(patternTypes, resource.resourcePatternType)
      const operation = nameOf(operations, acl.operation)
      const text = `${acl.principal} ${resource.resourceType}:${resource.resourceName} op ${acl.operation} permission ${acl.permissionType} host ${acl.host}`
      if (!resourceType || !patternType || !operation || acl.permissionType !== ALLOW || acl.host !== '*') {
        out.push({ unexpected: text })
        continue
      }
      out.push({
        binding: {
          principal: acl.principal,
          resourceType,
          resourceName: resource.resourceName,
          patternType,
          operation,
          host: '*',
          permission: 'ALLOW',
        },
      })
    }
  }
  return out
}

export interface AclDiff {
  readonly toAdd: AclBinding[]
  /** Bindings of managed principals that the plan does not hold. */
  readonly toRemove: AclBinding[]
  /** ACLs of managed principals a plan cannot express (DENY, a host): reported, never touched. */
  readonly unexpected: string[]
}

/** What it takes to make the cluster's ACLs of the managed principals equal the plan. */
export function diffAcls(
  plan: readonly AclBinding[],
  current: readonly ClusterAcl[],
  managed: readonly string[],
): AclDiff {
  const planned = new Set(plan.map(bindingKey))
  const present = new Set<string>()
  const toRemove: AclBinding[] = []
  const unexpected: string[] = []
  for (const acl of current) {
    if (acl.binding) {
      present.add(bindingKey(acl.binding))
      if (managed.includes(acl.binding.principal) && !planned.has(bindingKey(acl.binding)))
        toRemove.push(acl.binding)
    } else if (acl.unexpected && managed.some((principal) => acl.unexpected?.startsWith(`${principal} `))) {
      unexpected.push(acl.unexpected)
    }
  }
  return {
    toAdd: sortBindings(plan.filter((binding) => !present.has(bindingKey(binding)))),
    toRemove: sortBindings(toRemove),
    unexpected,
  }
}

/**
 * Makes the cluster hold exactly the plan for the managed principals: creates what is missing and
 * deletes their bindings that the plan no longer has. Idempotent; other principals' ACLs are left alone.
 * Resolves once the broker answering DescribeAcls serves the plan: the controller commits ACL changes
 * before brokers apply them, so a client started right after CreateAcls answered could still be
 * refused (seen as a flaky test on a loaded machine). Waits at most `settleTimeoutMs`.
 */
export async function applyAcls(
  admin: Admin,
  plan: readonly AclBinding[],
  managed: readonly string[],
  settleTimeoutMs = 15_000,
): Promise<AclDiff> {
  const diff = diffAcls(plan, await currentAcls(admin), managed)
  if (diff.toAdd.length > 0) await admin.createAcls({ acl: diff.toAdd.map(toEntry) })
  if (diff.toRemove.length > 0) {
    await admin.deleteAcls({
      filters: diff.toRemove.map((binding) => toEntry(binding) as unknown as AclFilter),
    })
  }
  const deadline = Date.now() + settleTimeoutMs
  for (;;) {
    const left = diffAcls(plan, await currentAcls(admin), managed)
    if ((left.toAdd.length === 0 && left.toRemove.length === 0) || Date.now() > deadline) break
    await delay(100)
  }
  return diff
}
