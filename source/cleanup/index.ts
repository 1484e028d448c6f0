/**
 * Acting on the analysis, safely: deletion plans (nothing is deleted by making one) and their
 * execution (re-checked just before acting, quarantined by default, logged), on the local disk,
 * S3 or HDFS through one executor. Restore lineage and what-if live in `analysis/` (pure).
 */
export {makePlan, planToShellScript, fingerprints, shellQuote, PlanSafety, type Fingerprint, type MakePlanOptions} from './plan.js';
export {
	executePlan,
	executeRemotePlan,
	ExecutionRefusedError,
	validatePlan,
	quarantineTimestamp,
	QUARANTINE_DIR,
	type ExecuteOptions,
	type ExecutionResult,
	type RemoteExecuteOptions,
	type RemoteExecutionResult,
} from './execute.js';
export {RunStoppedError} from './store-actions.js';
export {CleanWriteError, openJournalFile, writeErrorCause, type JournalFile, type OpenJournal} from './journal.js';
export type * from './types.js';
