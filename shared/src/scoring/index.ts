// Relationship scoring and intro paths (docs/scoring-model.md).
export * from './types.js';
export { SCORING_PARAMETERS, PARAMETERS_VERSION, type ScoringParameters } from './parameters.js';
export {
  companyStrength,
  labelOf,
  meetingTerms,
  meetingWeight,
  scoreTie,
  type MeetingFacts,
  type Participant,
  type TieSums,
} from './model.js';
export {
  advanceScoringClock,
  applyScoreQueue,
  getScoringState,
  readTieSpans,
  rebuildTies,
  refreshTies,
  repairTieSpans,
  SPAN_REPAIRS_PER_RUN,
  type RebuildResult,
  type ScoreRunResult,
  type ScoringState,
} from './ties.js';
export {
  currentCoverage,
  introPathsFor,
  readCoverage,
  type IntroPathsQuery,
  type PathTarget,
} from './intro-paths.js';
export {
  evaluatePlanted,
  ndcgAt5,
  type PlantedEvaluation,
  type PlantedTruth,
} from './evaluation.js';
export { findIntroPaths, type FindIntroPathsQuery } from './find-intro-paths.js';
export { companyPage, type CompanyContact } from './company-contacts.js';
export { prepareTargetIndex, resolveTarget, type TargetResolution } from './resolve-target.js';
