/**
 * One ACL binding in Kafka's terms, with names instead of the protocol's numbers so a plan reads
 * like `kafka-acls --list`. Every binding of a plan is an ALLOW from any host.
 */
export const ResourceType = {
  topic: 'TOPIC',
  group: 'GROUP',
  cluster: 'CLUSTER',
  transactionalId: 'TRANSACTIONAL_ID',
} as const
export type ResourceType = (typeof ResourceType)[keyof typeof ResourceType]

export const PatternType = { literal: 'LITERAL', prefixed: 'PREFIXED' } as const
export type PatternType = (typeof PatternType)[keyof typeof PatternType]

export const Operation = {
  read: 'READ',
  write: 'WRITE',
  create: 'CREATE',
  describe: 'DESCRIBE',
  describeConfigs: 'DESCRIBE_CONFIGS',
} as const
export type Operation = (typeof Operation)[keyof typeof Operation]

export interface AclBinding {
  /** `User:<name>` */
  readonly principal: string
  readonly resourceType: ResourceType
  readonly resourceName: string
  readonly patternType: PatternType
  readonly operation: Operation
  readonly host: '*'
  readonly permission: 'ALLOW'
}

/** A stable identity for comparing and sorting bindings. */
export function bindingKey(binding: AclBinding): string {
  return [
    binding.principal,
    binding.resourceType,
    binding.patternType,
    binding.resourceName,
    binding.operation,
    binding.host,
    binding.permission,
  ].join('|')
}

/** `User:x  TOPIC payments (LITERAL)  READ` */
export function describeBinding(binding: AclBinding): string {
  return `${binding.principal}  ${binding.resourceType} ${binding.resourceName} (${binding.patternType})  ${binding.operation}`
}

export function sortBindings(bindings: readonly AclBinding[]): AclBinding[] {
  return [...bindings].sort((a, b) => bindingKey(a).localeCompare(bindingKey(b)))
}
