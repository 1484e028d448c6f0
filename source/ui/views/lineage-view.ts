/**
 * The restore-lineage view, and the lineage as text (edges, chains) for the other views and tests.
 */
import type {InferredClaimMode, LineageEdge, LineageEvidence} from '../../analysis/types.js';
import {shortJobId} from '../format.js';
import {baseName} from '../../tree/layout.js';
import {formatCount, formatCountOf} from '../../text/index.js';
import type {Column, ListModel, Row, ViewRef} from './types.js';
import {type AnalysisIndex, relativeToRoot, checkpointLabel} from './analysis-index.js';

const LINEAGE_COLUMNS: Column[] = [
	{title: 'Restore (from snapshot → restored job, claim mode)', width: 'flex', minWidth: 24},
	{title: 'Evidence', width: 8, align: 'right', sortKey: 'size'},
];

const CLAIM_MODES: Record<InferredClaimMode, string> = {
	CLAIM: 'the restored job owns the snapshot and may delete its files',
	NO_CLAIM: 'the restored job made its own full first checkpoint',
	LEGACY: 'the restored job references the old files, never deletes them',
	'CLAIM or LEGACY': 'the restored job references the snapshot’s files',
	unknown: 'not enough evidence',
};

/** The "from" side of an edge: `job 3f2a1b2c… chk-40`, `job 3f2a1b2c… savepoint-3f2a1b-…`, `savepoint-…`. */
export function lineageFromLabel(edge: LineageEdge): string {
	const snapshot =
		edge.fromKind === 'checkpoint' && edge.fromCheckpointId !== null
			? `chk-${edge.fromCheckpointId}`
			: edge.fromPath !== null
				? baseName(edge.fromPath) || edge.fromPath
				: edge.fromCheckpointId !== null
					? `chk-${edge.fromCheckpointId}`
					: 'unknown snapshot';
	return edge.fromJobId === null ? snapshot : `job ${shortJobId(edge.fromJobId)} ${snapshot}`;
}

/** One edge as a line: `job 3f2a1b2c… chk-40 → job b0b0b0b0… (CLAIM or LEGACY)`. */
export function lineageText(edge: LineageEdge): string {
	return `${lineageFromLabel(edge)} → job ${shortJobId(edge.toJobId)} (${edge.claimMode})`;
}

/** A path for the narrow details pane: `job 3f2a1b2c… chk-7`, `3f2a1b2c…/shared`, else relative to the root. */
function shortPath(index: AnalysisIndex, path: string): string {
	const checkpoint = index.checkpointByPath.get(path);
	if (checkpoint) {
		return `${checkpoint.jobId === null ? '' : `${shortJobId(checkpoint.jobId)} `}${checkpointLabel(checkpoint)}`;
	}

	for (const job of index.analysis.jobs) {
		if (job.jobId !== null && path.startsWith(`${job.path}/`)) {
			return `${shortJobId(job.jobId)}/${path.slice(job.path.length + 1)}`;
		}
	}

	return relativeToRoot(index.analysis.roots, path);
}

function evidenceText(index: AnalysisIndex, evidence: LineageEvidence): string {
	switch (evidence.type) {
		case 'cross-job-reference':
			return `${shortPath(index, evidence.checkpointPath)} uses ${formatCountOf(evidence.files, 'file')} of ${shortPath(index, evidence.directory)}`;
		case 'checkpoint-id-continues':
			return `ids continue: restored ${evidence.restoredId}, first chk-${evidence.firstCheckpointId}`;
		case 'unclaimed-flag':
			return `${shortPath(index, evidence.checkpointPath)} unclaimed=${String(evidence.unclaimed)}`;
		case 'savepoint-prefix':
			return `${shortPath(index, evidence.savepointPath)} named after job ${evidence.jobIdPrefix}…`;
	}
}

/** Edges in chain order (depth-first from the edges nothing restored into), with their depth. */
export function lineageChains(edges: readonly LineageEdge[]): {edge: LineageEdge; depth: number}[] {
	// A job restored from its own savepoint (fixed job id) is not restored from another job: its edge
	// starts a chain, and the job's restores into other jobs follow below it.
	const restoredJobs = new Set(edges.filter((edge) => edge.fromJobId !== edge.toJobId).map((edge) => edge.toJobId));
	const children = new Map<string, LineageEdge[]>();
	for (const edge of edges) {
		if (edge.fromJobId !== null && edge.fromJobId !== edge.toJobId) {
			children.set(edge.fromJobId, [...(children.get(edge.fromJobId) ?? []), edge]);
		}
	}

	const ordered: {edge: LineageEdge; depth: number}[] = [];
	const seen = new Set<LineageEdge>();
	const visit = (edge: LineageEdge, depth: number) => {
		if (seen.has(edge)) {
			return;
		}

		seen.add(edge);
		ordered.push({edge, depth});
		for (const child of children.get(edge.toJobId) ?? []) {
			visit(child, depth + 1);
		}
	};

	for (const edge of edges) {
		if (edge.fromJobId === null || !restoredJobs.has(edge.fromJobId)) {
			visit(edge, 0);
		}
	}

	// Cycles (a job restored from its own descendant): whatever is left starts a chain of its own.
	for (const edge of edges) {
		visit(edge, 0);
	}

	return ordered;
}

/** Chains as text, one per root-to-leaf path: `job 3f2a1b2c… chk-40 → b0b0b0b0… → c4d5e6f7…`. */
export function lineageChainTexts(edges: readonly LineageEdge[]): string[] {
	const texts: string[] = [];
	let current: string[] = [];
	let previousDepth = -1;
	for (const {edge, depth} of lineageChains(edges)) {
		// The previous edge was a leaf when this one is not its child: its chain is complete.
		if (depth <= previousDepth && current.length > 0) {
			texts.push(current.join(' → '));
		}

		previousDepth = depth;

		current = depth === 0 ? [lineageFromLabel(edge)] : current.slice(0, depth + 1);
		current.push(shortJobId(edge.toJobId));
	}

	if (current.length > 0) {
		texts.push(current.join(' → '));
	}

	return texts;
}

function lineageRow(index: AnalysisIndex, edge: LineageEdge, depth: number, position: number): Row {
	const source = edge.fromPath === null ? undefined : index.checkpointByPath.get(edge.fromPath);
	const target = index.jobByPath.get(edge.toPath);
	const targetView: ViewRef | undefined = target ? {type: 'checkpoints', jobPath: target.path} : undefined;
	const text = `${depth === 0 ? '' : `${'  '.repeat(depth - 1)}└ `}${lineageText(edge)}`;
	return {
		key: `lineage:${edge.fromPath ?? edge.fromJobId ?? '?'}→${edge.toJobId}`,
		cells: [text, formatCount(edge.evidence.length)],
		marks: ['cross-job'],
		sortName: String(position).padStart(8, '0'),
		sortSize: edge.evidence.length,
		sortTime: source?.timeMs ?? 0,
		open: source ? {type: 'checkpoint', checkpointPath: source.path} : targetView,
		openTarget: targetView,
		refPath: edge.fromPath ?? undefined,
		impact:
			edge.fromPath === null
				? undefined
				: {targets: [edge.fromPath], label: `${edge.fromKind ?? 'snapshot'} ${lineageFromLabel(edge)} (restored into job ${shortJobId(edge.toJobId)})`},
		details: () => [
			{label: 'Restored job', value: edge.toJobId, mark: 'cross-job'},
			{label: 'Job path', value: edge.toPath},
			{label: 'From', value: edge.fromPath ?? 'unknown snapshot (not under the roots)', mark: edge.fromPath === null || source ? undefined : 'outside'},
			{label: 'From job', value: edge.fromJobId ?? 'unknown'},
			{label: 'Snapshot', value: `${edge.fromKind ?? 'unknown kind'}${edge.fromCheckpointId === null ? '' : ` ${edge.fromCheckpointId}`}`},
			{label: 'Claim mode', value: edge.claimMode},
			{label: '', value: CLAIM_MODES[edge.claimMode]},
			{label: 'Evidence', value: edge.evidence.length === 0 ? 'none' : `${formatCountOf(edge.evidence.length, 'item')}:`},
			...edge.evidence.map((evidence) => ({
				label: `  ${evidence.type === 'cross-job-reference' ? 'reference' : evidence.type === 'checkpoint-id-continues' ? 'ids' : evidence.type === 'unclaimed-flag' ? 'unclaimed' : 'name'}`,
				value: evidenceText(index, evidence),
			})),
			{label: 'Keys', value: `⏎ ${source ? 'source' : 'restored job'} · t restored job · d impact`},
		],
	};
}

/** The lineage view: restores in chain order, or why the lineage could not be inferred. */
export function buildLineage(index: AnalysisIndex): ListModel {
	const {edges, error} = index.lineage();
	const empty = error === undefined ? 'No restores found: no job references another job’s checkpoint or savepoint.' : `Lineage could not be inferred: ${error}`;
	const rows = lineageChains(edges).map(({edge, depth}, position) => lineageRow(index, edge, depth, position));
	const chains = lineageChainTexts(edges);
	return {
		crumb: 'Lineage',
		empty,
		summary: edges.length === 0 ? undefined : `↗ ${formatCountOf(edges.length, 'restore')} in ${formatCountOf(chains.length, 'chain')}: ${chains.join(' · ')}`,
		sections: [{id: 'lineage', columns: LINEAGE_COLUMNS, rows, empty}],
	};
}
