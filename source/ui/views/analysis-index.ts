/**
 * Lookups over an analysis that every view uses (checkpoints and jobs by path, missing files
 * and orphans by path, the memoised restore lineage), and the small labels the views share.
 */
import type {Analysis, CheckpointAnalysis, JobSummary, MissingFile, Orphan, OrphanReason, LineageEdge} from '../../analysis/types.js';
import {baseName} from '../../tree/layout.js';
import type {ExplorerServices} from '../services.js';

/** Restore lineage of an analysis, or why it could not be inferred. */
export interface LineageResult {
	edges: LineageEdge[];
	error?: string;
}

/** Lookups over an analysis, built once per analysis. */
export interface AnalysisIndex {
	analysis: Analysis;
	jobByPath: Map<string, JobSummary>;
	checkpointByPath: Map<string, CheckpointAnalysis>;
	/** The missing file at a path (the map is made on first use: 100,000 paths to hash). */
	missingAt: (path: string) => MissingFile | undefined;
	/** The orphan at a path (the map is made on first use: only marked orphans are looked up). */
	orphanAt: (path: string) => Orphan | undefined;
	/** Restore lineage, inferred on first use (memoised). */
	lineage: () => LineageResult;
}

/** Builds the lookups the views need. `services` infers the lineage (default: none, an empty list). */
export function indexAnalysis(analysis: Analysis, services?: Pick<ExplorerServices, 'inferLineage'>): AnalysisIndex {
	const checkpointByPath = new Map<string, CheckpointAnalysis>();
	for (const checkpoint of analysis.checkpoints) {
		checkpointByPath.set(checkpoint.path, checkpoint);
	}

	for (const job of analysis.jobs) {
		for (const checkpoint of job.checkpoints) {
			if (!checkpointByPath.has(checkpoint.path)) {
				checkpointByPath.set(checkpoint.path, checkpoint);
			}
		}
	}

	let lineage: LineageResult | undefined;
	let missingByPath: Map<string, MissingFile> | undefined;
	let orphanByPath: Map<string, Orphan> | undefined;
	return {
		analysis,
		jobByPath: new Map(analysis.jobs.map((job) => [job.path, job])),
		checkpointByPath,
		missingAt: (path) => (missingByPath ??= new Map(analysis.missing.map((missing) => [missing.path, missing]))).get(path),
		orphanAt: (path) => (orphanByPath ??= new Map(analysis.orphans.map((orphan) => [orphan.path, orphan]))).get(path),
		lineage: () => {
			if (lineage === undefined) {
				try {
					lineage = {edges: services ? services.inferLineage(analysis) : []};
				} catch (error) {
					lineage = {edges: [], error: error instanceof Error ? error.message : String(error)};
				}
			}

			return lineage;
		},
	};
}

/** A path relative to the scanned root that holds it (the absolute path when none does). */
export function relativeToRoot(roots: readonly string[], path: string): string {
	let best = '';
	for (const root of roots) {
		if (root.length > best.length && path.startsWith(root) && (path.length === root.length || root.endsWith('/') || path.charCodeAt(root.length) === 47)) {
			best = root;
		}
	}

	if (best === '') {
		return path;
	}

	let start = best.length;
	while (path.charCodeAt(start) === 47) {
		start++;
	}

	return start === path.length ? baseName(best) || best : path.slice(start);
}

/** The checkpoints that reference `path` (a file or storage directory), from `analysis.referencedBy`. */
export function referencingCheckpoints(index: AnalysisIndex, path: string): readonly string[] {
	return index.analysis.referencedBy.get(path) ?? index.missingAt(path)?.referencedBy ?? [];
}

/** Short display name of a checkpoint: `chk-42`, or the directory name for savepoints. */
export function checkpointLabel(checkpoint: CheckpointAnalysis): string {
	if (checkpoint.kind === 'checkpoint' && checkpoint.checkpointId !== null && /^chk-\d+$/.test(baseName(checkpoint.path))) {
		return `chk-${checkpoint.checkpointId}`;
	}

	return baseName(checkpoint.path) || checkpoint.path;
}

const REASONS: Record<OrphanReason, string> = {
	'incomplete-checkpoint': 'incomplete chk',
	'unreferenced-file': 'unreferenced',
	'stale-inprogress-metadata': 'stale inprogress',
	'dead-job': 'dead job',
	'unreferenced-directory': 'unreferenced dir',
};

/** Short label of an orphan reason. */
export function reasonLabel(reason: OrphanReason): string {
	return REASONS[reason];
}
