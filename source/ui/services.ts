/**
 * The analysis services the explorer calls beyond the `Analysis` itself: restore lineage and the
 * what-if impact of a deletion. Both are pure (they change nothing). Injectable for tests.
 */
import {inferLineage, simulateRetention, whatIfDelete} from '../analysis/index.js';
import type {Analysis} from '../analysis/types.js';
import type {LineageEdge, RetentionResult, WhatIfResult} from '../analysis/types.js';
import type {ExecutionRecord} from '../cleanup/types.js';

/** What the explorer needs from the analysis layer. */
export interface ExplorerServices {
	inferLineage: (analysis: Analysis) => LineageEdge[];
	whatIfDelete: (analysis: Analysis, targets: string[]) => WhatIfResult;
	/** The keep-last what-if (`K`), as `fcx what-if --keep-last N` computes it. */
	simulateRetention?: (analysis: Analysis, keepLast: number) => RetentionResult;
}

/** The real implementations. */
export const DEFAULT_SERVICES: ExplorerServices = {inferLineage, whatIfDelete, simulateRetention};

/** What the CLI reports after quarantining orphans (see `RenderExplorerOptions.onQuarantine`). */
export interface QuarantineResult {
	records: ExecutionRecord[];
	/** Shell command that moves the quarantined entries back; `null` when nothing was moved. */
	restoreCommand: string | null;
	/** The action log written by the execution. */
	logPath: string;
}

/**
 * Moves exactly `paths` (orphans the user marked) into the quarantine, re-checking each one just
 * before acting. `minAgeMs`: the explorer's min-age (`M`), at least the command line's: the
 * re-check keeps what is younger than the larger of the two. Provided by the CLI when started with
 * `--allow-delete`.
 */
export type QuarantineOrphans = (paths: string[], options?: {minAgeMs: number}) => Promise<QuarantineResult>;

/** The what-if of deleting `targets` (`d`), or the error it threw (shown in the impact panel). */
export function impactOf(services: ExplorerServices, analysis: Analysis, targets: string[]): WhatIfResult | Error {
	try {
		return services.whatIfDelete(analysis, targets);
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

/** The keep-last what-if (`K`) of `keepLast` ≥ 1 checkpoints per job, through the services when they give one. */
export function retentionOf(services: ExplorerServices, analysis: Analysis, keepLast: number): RetentionResult {
	return (services.simulateRetention ?? simulateRetention)(analysis, keepLast);
}
/** What an export of the current view (`e` / `E`) hands to the embedder to write. */
export interface ExportRequest {
	/** A file name without extension that says what the list is, such as `fcx-orphans` (no `/`). */
	name: string;
	extension: 'tsv' | 'json';
	/** The whole file. */
	content: string;
}

/**
 * Writes an export to a new file (the CLI: in the current directory, never over an existing file)
 * and returns the path written; throws an `Error` whose message says why it could not.
 */
export type ExportView = (request: ExportRequest) => string;
