export type { GroupDescription, GroupMember, GroupSummary, PartitionLag } from './src/describe.ts'
export { describeGroup, listGroups } from './src/describe.ts'
export type { ResetPlan, ResetTarget, ResetTargetInput } from './src/reset.ts'
export { applyReset, describeTarget, parseResetTarget, planReset } from './src/reset.ts'
