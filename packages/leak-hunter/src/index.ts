// @crosstalk/leak-hunter: log in as many accounts at once and check every response for its
// owner's identity and for nobody else's.
export { runHunt, huntScenario, assignAccounts } from './run-hunt.js'
export type { HuntOptions, HuntHooks, HuntStart } from './run-hunt.js'
export { checkShards, mergeShards } from './scale/merge-shards.js'
export { coordinateHunt } from './scale/coordinate-hunt.js'
export type { CoordinateOptions } from './scale/coordinate-hunt.js'
export { runAgent } from './scale/run-agent.js'
export type { AgentOptions, AgentResult } from './scale/run-agent.js'
export type { ShardReport } from './scale/merge-shards.js'
export { loadScenario, applyOverrides } from './scenario/load-scenario.js'
export type { ScenarioInput, ScenarioOverrides } from './scenario/load-scenario.js'
export type { Scenario } from './scenario/types.js'
export * from './errors.js'
export { REPORT_SCHEMA } from './report/types.js'
export { renderHtmlReport } from './report/html-report.js'
export { renderTerminalReport } from './report/terminal-report.js'
export {
  FindingGrouper,
  mergeFindingGroups,
  groupKey,
  groupHash,
  compareEvidence,
} from './report/finding-groups.js'
export { formatEvent } from './report/event-stream.js'
export type {
  HuntEvent,
  HuntReport,
  ProgressSnapshot,
  ProgressSnapshot as Progress,
  Verdict,
  ReportSummary,
  ThresholdResult,
  TimelinePoint,
  FindingGroup,
  FindingGroups,
  GroupList,
  LostPart,
  ScalePart,
  ScaleReport,
  ShardSection,
} from './report/types.js'
export type { Finding, FindingKind, Account, MarkerOptions } from './detect/types.js'
export { EXIT_CODES } from './engine/build-report.js'
export { initScenario } from './authoring/init-scenario.js'
export type { InitOptions, InitResult } from './authoring/init-scenario.js'
export type { InitNote } from './authoring/draft.js'
