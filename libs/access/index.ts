export type { AclDiff, ClusterAcl } from './src/apply.ts'
export { applyAcls, currentAcls, diffAcls } from './src/apply.ts'
export type { AclBinding } from './src/bindings.ts'
export {
  bindingKey,
  describeBinding,
  Operation,
  PatternType,
  ResourceType,
  sortBindings,
} from './src/bindings.ts'
export type { AccessManifest, RegistryAccess, ReplayerAccess, ServiceAccess } from './src/manifest.ts'
export { accessManifest, groupIdOf } from './src/manifest.ts'
export { managedPrincipals, planAcls } from './src/plan.ts'
