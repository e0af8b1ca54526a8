export type { EndOffsets, GroupDescription, GroupMember, GroupSummary, PartitionLag } from './src/describe.ts'
export { consumerGroupIds, describeGroup, listGroups, membersOf } from './src/describe.ts'
export type { ResetPlan, ResetTarget, ResetTargetInput } from './src/reset.ts'
export { applyReset, describeTarget, parseResetTarget, planReset } from './src/reset.ts'
