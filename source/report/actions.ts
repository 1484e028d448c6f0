/**
 * Plain-text output of the action commands: restore lineage, what-if, retention simulation,
 * deletion plans and their execution. Pure functions; every line ends with `\n`; control characters
 * in names are written as `\xHH` ({@link visibleControls}).
 */
import type {LineageEdge, LineageEvidence, RetentionResult, WhatIfResult} from '../analysis/types.js';
import type {ExecutionRecord, Plan} from '../cleanup/types.js';
import {formatBytesExact, formatCountOf, visibleLines} from '../text/index.js';

function short(jobId: string | null): string {
	return jobId === null ? 'unknown job' : `job ${jobId.slice(0, 8)}`;
}

/** One line for an evidence item. */
export function evidenceText(evidence: LineageEvidence): string {
	switch (evidence.type) {
		case 'cross-job-reference':
			return `${evidence.checkpointPath} references ${formatCountOf(evidence.files, 'file')} in ${evidence.directory}`;
		case 'checkpoint-id-continues':
			return `checkpoint ids continue: first checkpoint ${evidence.firstCheckpointId} = restored id ${evidence.restoredId} + 1`;
		case 'unclaimed-flag':
			return `${evidence.checkpointPath}: unclaimed=${evidence.unclaimed}${evidence.unclaimed ? ' (NO_CLAIM restore)' : ''}`;
		case 'savepoint-prefix':
			return `savepoint name ${evidence.savepointPath.slice(evidence.savepointPath.lastIndexOf('/') + 1)} names job ${evidence.jobIdPrefix}…`;
	}
}

/** One line for a lineage edge: `job 3f9a1c2b chk-5 → job 7b2e4d6f (CLAIM or LEGACY)`. */
export function lineageEdgeText(edge: LineageEdge): string {
	const name = edge.fromPath === null ? null : edge.fromPath.slice(edge.fromPath.lastIndexOf('/') + 1);
	const from =
		edge.fromKind === 'savepoint'
			? `savepoint ${name ?? '?'}${edge.fromJobId === null ? '' : ` of ${short(edge.fromJobId)}`}`
			: `${short(edge.fromJobId)} ${name ?? '(snapshot unknown)'}`;
	return `${from} → ${short(edge.toJobId)} (${edge.claimMode})`;
}

/** The lineage as text lines (indented by `indent`), with the evidence of each edge. */
export function lineageLines(edges: readonly LineageEdge[], indent = '  '): string[] {
	if (edges.length === 0) return [`${indent}none inferred`];
	const lines: string[] = [];
	for (const edge of edges) {
		lines.push(`${indent}${lineageEdgeText(edge)}`);
		if (edge.fromPath !== null) lines.push(`${indent}    from: ${edge.fromPath}`);
		lines.push(`${indent}    to:   ${edge.toPath}`);
		for (const e of edge.evidence) lines.push(`${indent}    evidence: ${evidenceText(e)}`);
	}
	return lines;
}

/** `fcx what-if <targets…>` as text. */
export function whatIfToText(result: WhatIfResult, roots: readonly string[] = []): string {
	const lines: string[] = ['WHAT IF these are deleted (nothing is changed)'];
	for (const t of result.targets) lines.push(`  target: ${t}`);
	for (const r of roots) lines.push(`  root:   ${r}   (only snapshots under the roots were considered)`);
	lines.push('', `Removed snapshots (${result.removedCheckpoints.length})`);
	if (result.removedCheckpoints.length === 0) lines.push('  none');
	for (const cp of result.removedCheckpoints) lines.push(`  ${cp}`);
	lines.push('', `Freed: ${formatCountOf(result.freedFiles.length, 'file')}, ${formatBytesExact(result.freedBytes)}`);
	for (const f of result.freedFiles) lines.push(`  ${f}`);
	lines.push('', `Would break (${result.broken.length})`);
	const unknown = result.unreadable ?? [];
	if (result.broken.length === 0 && unknown.length === 0) lines.push('  nothing: no remaining checkpoint references a file under the targets');
	else if (result.broken.length === 0) lines.push('  unknown: no remaining checkpoint that could be read references a file under the targets');
	for (const u of unknown) lines.push(`  ? ${u.checkpointPath} could not be read (${u.status}): it may reference files under the targets`);
	for (const b of result.broken) {
		lines.push(`  ✗ ${b.checkpointPath} loses ${formatCountOf(b.lostFiles.length, 'referenced file')}`);
		for (const f of b.lostFiles) lines.push(`      ${f}`);
	}
	lines.push('', `Warnings (${result.warnings.length})`);
	if (result.warnings.length === 0) lines.push('  none');
	for (const w of result.warnings) lines.push(`  ! ${w}`);
	return visibleLines(lines);
}

/** `fcx what-if --keep-last N` as text. */
export function retentionToText(result: RetentionResult, roots: readonly string[] = []): string {
	const lines: string[] = [`RETENTION keep-last ${result.keepLast} per job (nothing is changed)`];
	for (const r of roots) lines.push(`  root: ${r}`);
	lines.push('', `Subsumed checkpoints (${result.subsumed.length})`);
	if (result.subsumed.length === 0) lines.push('  none');
	for (const s of result.subsumed) lines.push(`  ${s}`);
	lines.push('', `Freed: ${formatCountOf(result.freedFiles, 'file')}, ${formatBytesExact(result.freedBytes)}`);
	lines.push(`Still needed by a retained snapshot (of any job), not counted: ${formatCountOf(result.stillNeeded, 'file')}`);
	lines.push('', `Warnings (${result.warnings.length})`);
	if (result.warnings.length === 0) lines.push('  none');
	for (const w of result.warnings) lines.push(`  ! ${w}`);
	return visibleLines(lines);
}

/** A short summary of a plan (for `fcx plan --out` and before `fcx clean` asks for confirmation). */
export function planSummaryText(plan: Plan, verb = 'planned'): string {
	const lines: string[] = [
		`${formatCountOf(plan.entries.length, 'entry', 'entries')} ${verb}, ${formatBytesExact(plan.totalBytes)} (plan of ${plan.createdAt})`,
	];
	for (const e of plan.entries) lines.push(`  ${e.type === 'directory' ? 'dir ' : 'file'}  ${formatBytesExact(e.bytes).padStart(12)}  ${e.reason}  ${e.path}`);
	for (const x of plan.excluded ?? []) lines.push(`  not planned: ${x.path}: ${x.reason}`);
	return visibleLines(lines);
}

/** The outcome of `fcx clean`. */
export function executionToText(result: {records: ExecutionRecord[]; logPath: string; restoreCommand: string | null; quarantineDir: string | null}): string {
	const lines: string[] = [];
	const done = result.records.filter((r) => r.action !== 'skipped');
	const skipped = result.records.filter((r) => r.action === 'skipped');
	for (const r of result.records) {
		if (r.action === 'quarantined') lines.push(`  moved    ${r.path}`, `           → ${r.quarantinePath ?? '?'}`);
		else if (r.action === 'deleted') lines.push(`  deleted  ${r.path}`);
		else lines.push(`  skipped  ${r.path}`, `           ${r.reason ?? ''}`);
	}
	const bytes = done.reduce((n, r) => n + (r.bytes ?? 0), 0);
	const verb = done.some((r) => r.action === 'deleted') ? 'deleted' : 'moved to the quarantine';
	lines.push('', `${formatCountOf(done.length, 'entry', 'entries')} ${verb} (${formatBytesExact(bytes)}), ${skipped.length} skipped.`);
	if (result.quarantineDir !== null) lines.push(`Quarantine: ${result.quarantineDir}`);
	lines.push(`Log:        ${result.logPath}`);
	if (result.restoreCommand !== null) lines.push(`Restore:    ${result.restoreCommand}`);
	return visibleLines(lines);
}
