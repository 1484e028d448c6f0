/**
 * Restore lineage: which job was restored from which checkpoint or savepoint, inferred from an
 * {@link Analysis} (docs/format.md#restore-modes). Pure: nothing is read or written.
 *
 * Evidence used:
 * - cross-job references: a job's checkpoints reference another job's `shared/`, `chk-<n>` or
 *   `taskowned/` directory, or a savepoint directory (the trace of a CLAIM or LEGACY restore), also
 *   the job's own savepoint (a job with a fixed job id restored from its own savepoint);
 * - the checkpoint counter continues after a restore: the new job's first `chk-<n>` is the restored
 *   id + 1 (after its own savepoint: its first checkpoint with a greater id is);
 * - the `unclaimed` flag of the new job's checkpoint properties (`true` after a NO_CLAIM restore);
 * - the savepoint directory name `savepoint-<first 6 hex of the job id>-…` names the savepoint's job.
 */
import {SAVEPOINT_DIR_RE, baseName, isInside} from '../tree/layout.js';
import type {InferredClaimMode, LineageEdge, LineageEvidence} from './types.js';
import type {Analysis, CheckpointAnalysis, JobSummary} from './types.js';
import {isCompletedByFlink} from './jobs.js';

/** A snapshot whose `_metadata` was read (it can be a restore source). */
function isLoaded(cp: CheckpointAnalysis): boolean {
	return cp.metadataPath !== null && cp.checkpointId !== null && (isCompletedByFlink(cp) || cp.status === 'legacy');
}

/** Where a cross-job reference points: another job's directory, or a savepoint directory. */
type Source = {type: 'job'; jobId: string} | {type: 'savepoint'; path: string};

function sourceKey(source: Source): string {
	return source.type === 'job' ? `job:${source.jobId}` : `savepoint:${source.path}`;
}

/** The job id a savepoint belongs to: its job directory, else the job whose id starts with the name's prefix (when exactly one). */
function savepointJob(savepoint: CheckpointAnalysis | null, savepointPath: string, jobIds: readonly string[]): {jobId: string | null; prefix: string | null} {
	const m = SAVEPOINT_DIR_RE.exec(baseName(savepointPath));
	const prefix = m === null ? null : m[1];
	if (savepoint?.jobId) return {jobId: savepoint.jobId, prefix};
	if (prefix === null) return {jobId: null, prefix};
	const matches = jobIds.filter((id) => id.startsWith(prefix));
	return {jobId: matches.length === 1 ? matches[0] : null, prefix};
}

/** The smallest checkpoint id of `checkpoints` greater than `id` (`null` when none is). */
function firstIdAfter(checkpoints: readonly CheckpointAnalysis[], id: number): number | null {
	let first: number | null = null;
	for (const cp of checkpoints) if (cp.checkpointId !== null && cp.checkpointId > id && (first === null || cp.checkpointId < first)) first = cp.checkpointId;
	return first;
}

/**
 * Restores of a job from its own savepoint in NO_CLAIM mode (a job with a fixed id): nothing
 * references the savepoint (the first checkpoint after a NO_CLAIM restore is a full one), but the
 * checkpoint whose id continues the savepoint's says `unclaimed=true`, which a checkpoint of a job
 * that merely took a savepoint and went on does not. Savepoints in `referenced` already have an edge.
 */
function ownSavepointNoClaimEdges(
	job: JobSummary & {jobId: string},
	own: readonly CheckpointAnalysis[],
	snapshots: readonly CheckpointAnalysis[],
	jobOf: (cp: CheckpointAnalysis) => string | null,
	jobIds: readonly string[],
	referenced: ReadonlySet<string>,
): LineageEdge[] {
	const byId = new Map(own.map((cp) => [cp.checkpointId!, cp] as const));
	const edges: LineageEdge[] = [];
	for (const sp of snapshots) {
		if (sp.kind !== 'savepoint' || referenced.has(sp.path) || jobOf(sp) !== job.jobId) continue;
		const next = byId.get(sp.checkpointId! + 1);
		if (next?.properties?.unclaimed !== true) continue;
		const evidence: LineageEvidence[] = [{type: 'checkpoint-id-continues', restoredId: sp.checkpointId!, firstCheckpointId: next.checkpointId!}];
		const {prefix} = savepointJob(sp, sp.path, jobIds);
		if (prefix !== null) evidence.push({type: 'savepoint-prefix', savepointPath: sp.path, jobIdPrefix: prefix});
		evidence.push({type: 'unclaimed-flag', checkpointPath: next.path, unclaimed: true});
		edges.push({
			fromPath: sp.path,
			fromJobId: job.jobId,
			fromCheckpointId: sp.checkpointId,
			fromKind: 'savepoint',
			toJobId: job.jobId,
			toPath: job.path,
			claimMode: 'NO_CLAIM',
			evidence,
		});
	}
	return edges;
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Infer restore lineage edges "job `toJobId` was restored from snapshot `fromPath`".
 *
 * - A job whose checkpoints reference another job's directories or a savepoint directory (its
 *   own savepoint too: then `fromJobId` is the job's own id) gets an edge from that source. When several sources are referenced, sources that are themselves
 *   referenced by another source (a chain A → B → C leaves A's files in C's checkpoints) are
 *   dropped: the edge goes from the nearest one. The restored snapshot of a source job is the one
 *   whose id + 1 is the new job's smallest checkpoint id; else the newest of that job older than
 *   the new job's first checkpoint that references a file the new job still uses; else unknown
 *   (`fromPath: null`, e.g. the source is outside the scanned tree).
 * - claimMode: references into a NATIVE savepoint directory → `CLAIM` (only a CLAIM restore
 *   re-uses a savepoint's files); other cross-job references → `CLAIM or LEGACY` (undecidable);
 *   no references but the id continues from a snapshot and the job's checkpoints carry
 *   `unclaimed=true` → `NO_CLAIM`; a job whose first id continues a savepoint of another job, with
 *   no other evidence → `unknown`. The id continuation alone from a checkpoint is not taken as a
 *   restore (small ids collide too often). A job's own savepoint without references: `NO_CLAIM`
 *   when the checkpoint continuing its id says `unclaimed=true` ({@link ownSavepointNoClaimEdges}).
 * - Every edge carries its evidence. Edges are sorted by `toPath`, then `fromPath`.
 */
export function inferLineage(analysis: Analysis): LineageEdge[] {
	const jobs = analysis.jobs.filter((j): j is JobSummary & {jobId: string} => j.jobId !== null && j.checkpoints.length > 0);
	const jobIds = [...new Set(jobs.map((j) => j.jobId))];
	const snapshots = analysis.checkpoints.filter(isLoaded);
	const byPath = new Map(analysis.checkpoints.map((cp) => [cp.path, cp] as const));
	const jobOf = (cp: CheckpointAnalysis): string | null => cp.jobId ?? (cp.kind === 'savepoint' ? savepointJob(cp, cp.path, jobIds).jobId : null);

	// Cross-job sources referenced by each job's checkpoints, with the referenced files.
	interface Refs {
		source: Source;
		evidence: LineageEvidence[];
		files: Set<string>;
	}
	const refsByJob = new Map<string, Map<string, Refs>>();
	for (const job of jobs) {
		const map = new Map<string, Refs>();
		for (const cp of job.checkpoints) {
			if (!isLoaded(cp)) continue;
			for (const dep of cp.dependencies) {
				// A savepoint directory other than the snapshot's own is a restore source even when it is
				// the job's own savepoint (not cross-job): a job with a fixed id (Kubernetes operator,
				// application mode) restored in CLAIM mode from its own savepoint references it.
				const ownSavepoint = dep.kind === 'savepoint' && !dep.crossJob && dep.path !== cp.path && !isInside(cp.path, dep.path);
				if (!dep.crossJob && !ownSavepoint) continue;
				let source: Source;
				if (dep.kind === 'savepoint') source = {type: 'savepoint', path: dep.path};
				else if (dep.jobId !== null && dep.jobId !== job.jobId) source = {type: 'job', jobId: dep.jobId};
				else continue;
				const key = sourceKey(source);
				let refs = map.get(key);
				if (refs === undefined) map.set(key, (refs = {source, evidence: [], files: new Set()}));
				refs.evidence.push({type: 'cross-job-reference', checkpointPath: cp.path, directory: dep.path, files: dep.files});
				for (const f of dep.fileList) if (f.path !== null) refs.files.add(f.path);
			}
		}
		refsByJob.set(job.path, map);
	}

	/** Job ids a source belongs to (to detect chains). */
	const sourceJob = (source: Source): string | null =>
		source.type === 'job' ? source.jobId : savepointJob(byPath.get(source.path) ?? null, source.path, jobIds).jobId;
	/** Whether any checkpoint of job `jobId` references `source` (then `source` is upstream of that job). */
	const jobReferences = (jobId: string, source: Source): boolean => {
		for (const job of jobs) {
			if (job.jobId !== jobId) continue;
			if (refsByJob.get(job.path)?.has(sourceKey(source))) return true;
		}
		return false;
	};

	const edges: LineageEdge[] = [];
	for (const job of jobs) {
		const own = job.checkpoints.filter((cp) => cp.checkpointId !== null && cp.kind === 'checkpoint');
		if (own.length === 0) continue;
		const firstId = Math.min(...own.map((cp) => cp.checkpointId!));
		const firstTime = Math.min(...own.filter((cp) => cp.metadataPath !== null).map((cp) => cp.timeMs), Number.POSITIVE_INFINITY);
		const withProps = own.filter((cp) => cp.properties !== null && cp.properties.unclaimed !== undefined).sort((a, b) => a.checkpointId! - b.checkpointId!);
		const unclaimedEvidence: LineageEvidence[] =
			withProps.length > 0 ? [{type: 'unclaimed-flag', checkpointPath: withProps[0].path, unclaimed: withProps[0].properties!.unclaimed === true}] : [];
		const unclaimed = withProps.some((cp) => cp.properties!.unclaimed === true);

		const refs = [...(refsByJob.get(job.path)?.values() ?? [])];
		// Drop sources that another referenced source itself references (upstream in a chain).
		const direct = refs.filter(
			(r) =>
				!refs.some(
					(o) =>
						o !== r &&
						(() => {
							const oj = sourceJob(o.source);
							return oj !== null && oj !== job.jobId && jobReferences(oj, r.source);
						})(),
				),
		);

		for (const r of direct) {
			const evidence: LineageEvidence[] = [...r.evidence];
			let from: CheckpointAnalysis | null = null;
			let fromJobId: string | null = null;
			let claimMode: InferredClaimMode = 'CLAIM or LEGACY';
			if (r.source.type === 'savepoint') {
				from = byPath.get(r.source.path) ?? null;
				const sj = savepointJob(from, r.source.path, jobIds);
				fromJobId = sj.jobId;
				if (sj.prefix !== null) evidence.push({type: 'savepoint-prefix', savepointPath: r.source.path, jobIdPrefix: sj.prefix});
				const format = from?.properties?.checkpointType?.kind === 'savepoint' ? from.properties.checkpointType.formatType : null;
				if (format === 'NATIVE') claimMode = 'CLAIM';
			} else {
				fromJobId = r.source.jobId;
				const sourceJobId = r.source.jobId;
				const candidates = snapshots.filter((cp) => jobOf(cp) === sourceJobId);
				from = candidates.find((cp) => cp.checkpointId! + 1 === firstId) ?? null;
				if (from === null) {
					const users = candidates
						.filter((cp) => cp.checkpointId! < firstId && cp.timeMs <= firstTime && cp.files.some((f) => f.path !== null && r.files.has(f.path)))
						.sort((a, b) => b.checkpointId! - a.checkpointId!);
					from = users[0] ?? null;
				}
			}
			// The job's first checkpoint after the restore: its first one, or after its own savepoint (a
			// job with a fixed id has older checkpoints of its own, and the savepoint shares their counter).
			const firstAfter = fromJobId === job.jobId && from?.checkpointId != null ? firstIdAfter(own, from.checkpointId) : firstId;
			if (from !== null && from.checkpointId !== null && from.checkpointId + 1 === firstAfter) {
				evidence.push({type: 'checkpoint-id-continues', restoredId: from.checkpointId, firstCheckpointId: firstAfter});
			}
			evidence.push(...unclaimedEvidence);
			edges.push({
				fromPath: from?.path ?? null,
				fromJobId,
				fromCheckpointId: from?.checkpointId ?? null,
				fromKind: from?.kind ?? (r.source.type === 'savepoint' ? 'savepoint' : null),
				toJobId: job.jobId,
				toPath: job.path,
				claimMode,
				evidence,
			});
		}
		const referencedSavepoints = new Set(direct.flatMap((r) => (r.source.type === 'savepoint' ? [r.source.path] : [])));
		const ownRestores = ownSavepointNoClaimEdges(job, own, snapshots, jobOf, jobIds, referencedSavepoints);
		edges.push(...ownRestores);
		// The unclaimed flag is explained by a restore from its own savepoint.
		if (direct.length > 0 || ownRestores.length > 0) continue;

		// No references: the id continuation plus the unclaimed flag (NO_CLAIM), or a savepoint of another job.
		// Snapshots of other jobs whose id the new job's first checkpoint continues (cheap tests first:
		// a big tree has thousands of snapshots and hundreds of jobs).
		const continued = snapshots.filter(
			(cp) => cp.checkpointId! + 1 === firstId && cp.timeMs <= firstTime && !isInside(cp.path, job.path) && jobOf(cp) !== job.jobId,
		);
		const savepoints = continued.filter((cp) => cp.kind === 'savepoint');
		let from: CheckpointAnalysis | null = null;
		let claimMode: InferredClaimMode = 'unknown';
		if (unclaimed) {
			claimMode = 'NO_CLAIM';
			from = savepoints.length === 1 ? savepoints[0] : continued.length === 1 ? continued[0] : null;
			if (from === null && continued.length > 1) {
				// Several qualify: the newest one before the new job's first checkpoint.
				from = [...continued].sort((a, b) => b.timeMs - a.timeMs)[0];
			}
		} else if (savepoints.length === 1) {
			from = savepoints[0];
		} else {
			continue;
		}
		const evidence: LineageEvidence[] = [];
		if (from !== null) evidence.push({type: 'checkpoint-id-continues', restoredId: from.checkpointId!, firstCheckpointId: firstId});
		let fromJobId = from === null ? null : jobOf(from);
		if (from !== null && from.kind === 'savepoint') {
			const sj = savepointJob(from, from.path, jobIds);
			fromJobId = sj.jobId;
			if (sj.prefix !== null) evidence.push({type: 'savepoint-prefix', savepointPath: from.path, jobIdPrefix: sj.prefix});
		}
		evidence.push(...unclaimedEvidence);
		edges.push({
			fromPath: from?.path ?? null,
			fromJobId,
			fromCheckpointId: from?.checkpointId ?? null,
			fromKind: from?.kind ?? null,
			toJobId: job.jobId,
			toPath: job.path,
			claimMode,
			evidence,
		});
	}
	return edges.sort((a, b) => compare(a.toPath, b.toPath) || compare(a.fromPath ?? '', b.fromPath ?? ''));
}
