/**
 * Acting on the analysis, safely: deletion plans (nothing is deleted by making one) and their
 * execution (re-checked just before acting, quarantined by default, logged). Restore lineage and
 * what-if live in `analysis/` (pure).
 */
export {makePlan, planToShellScript, fingerprints, shellQuote, PlanSafety, type Fingerprint, type MakePlanOptions} from './plan.js';
export {executePlan, ExecutionRefusedError, validatePlan, quarantineTimestamp, QUARANTINE_DIR, type ExecuteOptions, type ExecutionResult} from './execute.js';
export {executeRemotePlan, type RemoteExecuteOptions, type RemoteExecutionResult} from './remote-execute.js';
export {CleanWriteError, openJournalFile, writeErrorCause, type JournalFile, type OpenJournal} from './journal.js';
export type * from './types.js';
