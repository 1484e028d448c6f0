/**
 * Plain-text report of an {@link Analysis} for humans and grep (`fcx --text`): a summary, every job
 * with its checkpoints and their dependencies, then LINEAGE (restores inferred), ORPHANS, MISSING
 * and WARNINGS sections.
 *
 * Every glyph is accompanied by a word (`✗ missing`, `⊘ orphan`, `↗ cross-job`,
 * `… possibly in progress`), so the report reads the same without colour.
 */
import {describeFormatVersion} from '../metadata/versions.js';
import path from 'node:path';
import type {Analysis, CheckpointAnalysis, CheckpointStatus, Dependency, JobSummary, ReferencedBy} from '../analysis/types.js';
import {
	GLYPHS,
	STYLE_SEQUENCES,
	comparePaths,
	formatBytes,
	formatBytesExact,
	formatCountOf,
	isoTime,
	sortByPath,
	sortByPathInPlace,
	styler,
	visibleLines,
	type Style,
} from '../text/index.js';
import {inferLineage} from '../analysis/lineage.js';
import {countJobs, newestCompleteCheckpoint, newestRestorableCheckpoint} from '../analysis/jobs.js';
import {lineageLines} from './actions.js';
import {mappingLines} from './mappings.js';
import {METADATA_FILE} from '../tree/layout.js';
import {TOOL_NAME, reclaimableBytes, summariseProperties} from './json.js';
import {jobStorage, type JobStorage} from '../analysis/storage.js';
import {quarantineLines, quarantineSummary} from './quarantines.js';
import {jobStorageLines} from './storage.js';

/** Options of {@link reportToText}. */
export interface TextReportOptions {
	/** Use ANSI colours (default false). */
	color?: boolean;
	/** Tool version printed in the header. */
	version?: string;
}

type Paint = (style: Style, text: string) => string;

const STATUS_WORDS: Record<CheckpointStatus, {glyph: string; word: string; style: Style}> = {
	complete: {glyph: GLYPHS.ok, word: 'complete', style: 'green'},
	'missing-files': {glyph: GLYPHS.missing, word: 'missing files', style: 'red'},
	'unknown-files': {glyph: GLYPHS.warning, word: 'files could not be read', style: 'yellow'},
	damaged: {glyph: GLYPHS.missing, word: 'damaged files', style: 'red'},
	unreadable: {glyph: GLYPHS.warning, word: 'unreadable', style: 'red'},
	legacy: {glyph: GLYPHS.warning, word: 'legacy format', style: 'yellow'},
	incomplete: {glyph: GLYPHS.orphan, word: 'incomplete (no _metadata)', style: 'yellow'},
	'in-progress': {glyph: GLYPHS.inProgress, word: 'possibly in progress', style: 'cyan'},
};

function checkpointName(checkpoint: CheckpointAnalysis): string {
	return path.basename(checkpoint.path) || checkpoint.path;
}

function describeProperties(checkpoint: CheckpointAnalysis): string | null {
	const summary = summariseProperties(checkpoint.properties);
	if (!summary) {
		return null;
	}

	const parts: string[] = [summary.type ?? 'no snapshot type'];
	if (summary.sharingFilesStrategy) {
		parts.push(summary.sharingFilesStrategy);
	}

	if (summary.formatType) {
		parts.push(summary.formatType);
	}

	if (summary.postCheckpointAction && summary.postCheckpointAction !== 'NONE') {
		parts.push(`then ${summary.postCheckpointAction}`);
	}

	if (summary.unclaimed === true) {
		parts.push('unclaimed (NO_CLAIM restore)');
	}

	if (summary.forced) {
		parts.push('forced');
	}

	return parts.join(', ');
}

function dependencyLine(dependency: Dependency, paint: Paint): string {
	const marker = dependency.crossJob ? paint('magenta', `${GLYPHS.crossJob} cross-job`) : '  own'.padEnd(`${GLYPHS.crossJob} cross-job`.length);
	const job = dependency.jobId ? ` job ${dependency.jobId}` : '';
	const missing = dependency.missing > 0 ? `, ${paint('red', `${GLYPHS.missing} ${dependency.missing} missing`)}` : '';
	const where = dependency.local ? '' : ' (outside the scanned tree, not checked)';
	return `      ${marker}  ${dependency.kind}${job}: ${dependency.path}${where} — ${formatCountOf(dependency.files, 'file')}, ${formatBytes(dependency.bytes)}${missing}`;
}

function checkpointLines(checkpoint: CheckpointAnalysis, paint: Paint, referencedBy: ReferencedBy): string[] {
	const status = STATUS_WORDS[checkpoint.status] ?? {glyph: '?', word: checkpoint.status, style: 'yellow'};
	const id = checkpoint.checkpointId === null ? 'id ?' : `id ${checkpoint.checkpointId}`;
	const version =
		checkpoint.formatVersion === null ? '' : `  v${checkpoint.formatVersion}${checkpoint.formatVersion === 7 ? ` (${describeFormatVersion(7)})` : ''}`;
	const time = isoTime(checkpoint.timeMs) ?? 'time unknown';
	const count = checkpoint.status === 'damaged' ? checkpoint.damaged : checkpoint.missing;
	const missing = count > 0 ? ` (${formatCountOf(count, 'file')})` : '';
	const lines = [
		`  ${paint(status.style, `${status.glyph} ${status.word}${missing}`)}  ${paint('bold', checkpointName(checkpoint))}  ${checkpoint.kind}  ${id}${version}  ${time}`,
		`      path: ${checkpoint.path}`,
	];
	if (checkpoint.error) {
		lines.push(`      ${paint('red', `${GLYPHS.warning} error`)}: ${checkpoint.error}`);
	}

	lines.push(...approximateLines(checkpoint.approximateReferences, '      '));

	const properties = describeProperties(checkpoint);
	if (properties) {
		lines.push(`      properties: ${properties}`);
	}

	if (checkpoint.metadataPath !== null) {
		const {sizes} = checkpoint;
		lines.push(
			`      sizes: referenced ${formatBytesExact(sizes.referencedBytes)}, own dir ${formatBytes(sizes.ownDirectoryBytes)}, shared with other snapshots ${formatBytes(sizes.sharedBytes)}, inline ${formatBytes(sizes.inlineBytes)}, _metadata ${formatBytesExact(sizes.metadataBytes)}, freed by deleting it alone ${formatBytesExact(sizes.exclusiveBytes)}`,
		);
		if (checkpoint.damaged > 0 && checkpoint.status !== 'damaged') {
			lines.push(`      ${paint('red', `${GLYPHS.missing} ${formatCountOf(checkpoint.damaged, 'damaged file')}`)} (shorter than the metadata says)`);
		}
		const operators = checkpoint.operators.length;
		if (operators > 0) {
			const names = checkpoint.operators.map((operator) => operator.name ?? operator.uid ?? operator.operatorId).join(', ');
			lines.push(`      operators (${operators}): ${names}`);
		}

		if (checkpoint.outside > 0) {
			lines.push(`      ${formatCountOf(checkpoint.outside, 'reference')} outside the scanned tree (not checked)`);
		}
	}

	const dependencies = sortByPath(checkpoint.dependencies, (dependency) => dependency.path);
	if (dependencies.length > 0) {
		lines.push('      depends on:');
		for (const dependency of dependencies) {
			lines.push(dependencyLine(dependency, paint));
		}
	}

	const users = (referencedBy.get(checkpoint.path) ?? []).filter((user) => user !== checkpoint.path);
	if (users.length > 0) {
		lines.push(`      needed by: ${[...users].sort(comparePaths).join(', ')}`);
	}

	return lines;
}

/** `latest <id>`, and when that checkpoint has missing or damaged files, the newest complete one. */
function latestText(job: JobSummary): string {
	const latest = `latest ${job.latestCheckpointId ?? 'none'}`;
	const complete = newestCompleteCheckpoint(job);
	if (job.latestCheckpointId === null || complete?.checkpointId === job.latestCheckpointId) return latest;
	const damaged = job.checkpoints.some((cp) => cp.checkpointId === job.latestCheckpointId && cp.status === 'damaged');
	return `${latest} (${damaged ? 'damaged files' : 'missing files'}; newest complete ${complete?.checkpointId ?? 'none'})`;
}

function jobLines(job: JobSummary, paint: Paint, referencedBy: ReferencedBy, storage: {of: JobStorage | undefined; treeBytes: number}): string[] {
	const title = job.jobId === null ? `SAVEPOINTS / LOOSE SNAPSHOTS  ${job.path}` : `JOB ${job.jobId}  ${job.path}`;
	const parts = [
		formatCountOf(job.checkpoints.length, 'snapshot'),
		// Snapshots outside job directories belong to unrelated jobs: none of them is "the latest".
		...(job.jobId === null ? [] : [latestText(job), `newest restorable ${newestRestorableCheckpoint(job)?.checkpointId ?? 'none'}`]),
		`${formatBytesExact(job.bytesOnDisk)} on disk`,
		`${formatBytesExact(job.exclusiveBytes)} freed by deleting its snapshots`,
	];
	if (job.orphans > 0) {
		parts.push(paint('yellow', `${GLYPHS.orphan} ${formatCountOf(job.orphans, 'orphan')} (${formatBytes(job.orphanBytes)})`));
	}

	if (job.missing > 0) {
		parts.push(paint('red', `${GLYPHS.missing} ${job.missing} missing`));
	}

	if (job.damaged > 0) {
		parts.push(paint('red', `${GLYPHS.missing} ${job.damaged} damaged`));
	}

	if (job.referencesJobs.length > 0) {
		parts.push(paint('magenta', `${GLYPHS.crossJob} cross-job: references ${[...job.referencesJobs].sort(comparePaths).join(', ')}`));
	}

	const lines = [paint('bold', title), `  ${parts.join(', ')}`];
	if (storage.of !== undefined) lines.push(...jobStorageLines(storage.of, storage.treeBytes));
	const checkpoints = sortByPath(job.checkpoints, (checkpoint) => checkpoint.path);
	if (checkpoints.length === 0) {
		lines.push('  (no checkpoints)');
	}

	for (const checkpoint of checkpoints) {
		lines.push(...checkpointLines(checkpoint, paint, referencedBy));
	}

	return lines;
}

/**
 * Render the analysis as plain text (lines end with `\n`). Deterministic: the same analysis gives
 * the same text; with `color: true` ANSI colour codes are added around glyphs and headings.
 */
export function reportToText(analysis: Analysis, options: TextReportOptions = {}): string {
	return [...reportTextChunks(analysis, options)].join('');
}

/** Lines gathered before {@link reportTextChunks} yields them. */
const CHUNK_LINES = 20_000;

/**
 * {@link reportToText} in chunks (each a run of whole lines), so that the report of a big tree is
 * never one giant string. Control characters in names are written as `\xHH` ({@link visibleControls}).
 */
export function* reportTextChunks(analysis: Analysis, options: TextReportOptions = {}): Generator<string, void, undefined> {
	const paint = styler(options.color ?? false);
	const keep = options.color === true ? STYLE_SEQUENCES : undefined;
	const orphans = sortByPath(analysis.orphans, (orphan) => orphan.path);
	const real = orphans.filter((orphan) => !orphan.possiblyInProgress);
	const inProgress = orphans.filter((orphan) => orphan.possiblyInProgress);
	const reclaimable = reclaimableBytes(real);
	const withMissing = analysis.checkpoints.filter((checkpoint) => checkpoint.missing > 0 || checkpoint.status === 'missing-files');
	let lines: string[] = [];

	lines.push(paint('bold', `${TOOL_NAME}${options.version ? ` ${options.version}` : ''} report`));
	lines.push(`Analysed: ${isoTime(analysis.analysedAtMs) ?? 'unknown'}`);
	for (const root of analysis.roots) {
		lines.push(`Root:     ${root}`);
	}

	lines.push('', paint('bold', 'SUMMARY'));
	lines.push(`  Jobs:         ${countJobs(analysis)}`);
	lines.push(`  Checkpoints:  ${analysis.totals.checkpoints}`);
	lines.push(`  Savepoints:   ${analysis.totals.savepoints}`);
	lines.push(`  Files:        ${analysis.totals.files}, ${formatBytesExact(analysis.totals.bytesOnDisk)} on disk`);
	lines.push(
		`  Orphans:      ${paint(real.length > 0 ? 'yellow' : 'green', `${GLYPHS.orphan} ${formatCountOf(real.length, 'orphan')}`)}, ${formatBytesExact(reclaimable)} reclaimable`,
	);
	if (inProgress.length > 0) {
		lines.push(`  In progress:  ${paint('cyan', `${GLYPHS.inProgress} ${inProgress.length} possibly in progress`)} (younger than --min-age, not counted)`);
	}

	lines.push(
		`  Missing:      ${paint(analysis.missing.length > 0 ? 'red' : 'green', `${GLYPHS.missing} ${formatCountOf(analysis.missing.length, 'missing file')}`)} in ${formatCountOf(withMissing.length, 'checkpoint')}`,
	);
	if (analysis.damaged.length > 0) {
		const withDamaged = analysis.checkpoints.filter((checkpoint) => checkpoint.damaged > 0);
		lines.push(
			`  Damaged:      ${paint('red', `${GLYPHS.missing} ${formatCountOf(analysis.damaged.length, 'damaged file')}`)} (shorter than the metadata says) in ${formatCountOf(withDamaged.length, 'checkpoint')}`,
		);
	}

	const quarantined = quarantineSummary(analysis);
	if (quarantined !== null) lines.push(`  Quarantined:  ${quarantined}`);
	lines.push(`  Warnings:     ${analysis.warnings.length}`);
	if (analysis.checkpoints.length === 0) {
		lines.push(
			'',
			`  No checkpoint or savepoint found: no ${METADATA_FILE} file, and no chk-<n> directory, under the roots.`,
			'  Point fcx at the checkpoint directory (state.checkpoints.dir) or a savepoint directory.',
		);
	}

	// After the summary: a tree of many jobs has as many inferred mappings (one per job directory).
	const mappings = mappingLines(analysis.mappings);
	if (mappings.length > 0) lines.push('', ...mappings);

	const inJobs = new Set<CheckpointAnalysis>();
	const storages = new Map(jobStorage(analysis).map((s) => [s.jobPath, s]));
	for (const job of sortByPath(analysis.jobs, (job) => job.path)) {
		const storage = {of: job.jobId === null ? undefined : storages.get(job.path), treeBytes: analysis.totals.bytesOnDisk};
		lines.push('', ...jobLines(job, paint, analysis.referencedBy, storage));
		for (const checkpoint of job.checkpoints) {
			inJobs.add(checkpoint);
		}

		if (lines.length >= CHUNK_LINES) {
			yield visibleLines(lines, keep);
			lines = [];
		}
	}

	const loose = sortByPath(
		analysis.checkpoints.filter((checkpoint) => !inJobs.has(checkpoint)),
		(checkpoint) => checkpoint.path,
	);
	if (loose.length > 0) {
		lines.push('', paint('bold', 'OTHER SNAPSHOTS'));
		for (const checkpoint of loose) {
			lines.push(...checkpointLines(checkpoint, paint, analysis.referencedBy));
		}
	}

	const lineage = inferLineage(analysis);
	lines.push('', paint('bold', `LINEAGE (${lineage.length})`));
	lines.push(...lineageLines(lineage));

	lines.push('', paint('bold', `ORPHANS (${real.length}${inProgress.length > 0 ? `, plus ${inProgress.length} possibly in progress` : ''})`));
	if (orphans.length === 0) {
		lines.push('  none');
	}

	for (const orphan of orphans) {
		const marker = orphan.possiblyInProgress ? paint('cyan', `${GLYPHS.inProgress} possibly in progress`) : paint('yellow', `${GLYPHS.orphan} orphan`);
		const time = isoTime(orphan.timeMs);
		lines.push(
			`  ${marker}  ${orphan.reason}  ${orphan.type}  ${formatBytesExact(orphan.bytes)}${orphan.type === 'directory' ? `, ${formatCountOf(orphan.files, 'file')}` : ''}  ${orphan.path}`,
		);
		lines.push(`      ${orphan.description}${time ? ` (modified ${time})` : ''}`);
		if (lines.length >= CHUNK_LINES) {
			yield visibleLines(lines, keep);
			lines = [];
		}
	}

	lines.push(
		`  Reclaimable: ${formatBytesExact(reclaimable)} in ${formatCountOf(real.length, 'orphan')}${inProgress.length > 0 ? ` (${formatCountOf(inProgress.length, 'entry', 'entries')} possibly in progress not counted)` : ''}`,
	);

	lines.push(...quarantineLines(analysis, (text) => paint('bold', text)));
	lines.push('', paint('bold', `MISSING (${analysis.missing.length})`));
	if (analysis.missing.length === 0) {
		lines.push('  none');
	}

	for (const missing of sortByPath(analysis.missing, (entry) => entry.path)) {
		lines.push(`  ${paint('red', `${GLYPHS.missing} missing`)}  ${missing.path}`);
		if (missing.uri !== missing.path) {
			lines.push(`      uri: ${missing.uri}`);
		}

		for (const user of [...missing.referencedBy].sort(comparePaths)) {
			lines.push(`      referenced by: ${user}`);
		}

		if (lines.length >= CHUNK_LINES) {
			yield visibleLines(lines, keep);
			lines = [];
		}
	}

	lines.push(...damagedLines(analysis, paint));
	lines.push('', paint('bold', `WARNINGS (${analysis.warnings.length})`));
	if (analysis.warnings.length === 0) {
		lines.push('  none');
	}

	// Sorted by (path, message): a stable sort by path of the warnings sorted by message.
	for (const warning of sortByPathInPlace(
		sortByPath(analysis.warnings, (entry) => entry.message),
		(entry) => entry.path,
	)) {
		lines.push(`  ${paint('yellow', `${GLYPHS.warning} warning`)}  ${warning.path}: ${warning.message}`);
		if (lines.length >= CHUNK_LINES) {
			yield visibleLines(lines, keep);
			lines = [];
		}
	}

	yield visibleLines(lines, keep);
}

/** The DAMAGED section: files shorter than what the checkpoints that reference them need (none: no section). */
function damagedLines(analysis: Analysis, paint: Paint): string[] {
	if (analysis.damaged.length === 0) return [];
	const lines = ['', paint('bold', `DAMAGED (${analysis.damaged.length})`)];
	for (const damaged of sortByPath(analysis.damaged, (entry) => entry.path)) {
		lines.push(`  ${paint('red', `${GLYPHS.missing} damaged`)}  ${damaged.path}`);
		lines.push(`      ${formatBytesExact(damaged.actualBytes)} on disk, ${formatBytesExact(damaged.expectedBytes)} needed (truncated)`);
		for (const user of [...damaged.referencedBy].sort(comparePaths)) {
			lines.push(`      referenced by: ${user}`);
		}
	}

	return lines;
}

/** How many approximate strings the text report prints per file. */
const APPROXIMATE_SHOWN = 20;

/**
 * Lines for the path-like strings of an unreadable `_metadata`, clearly labelled as approximate.
 * Exported for `inspect`.
 */
export function approximateLines(strings: readonly {offset: number; text: string}[] | undefined, indent: string): string[] {
	if (strings === undefined || strings.length === 0) return [];
	const lines = [`${indent}approximate, NOT authoritative (a string scan of the damaged file; never used for orphans): ${strings.length} path-like string(s)`];
	for (const entry of strings.slice(0, APPROXIMATE_SHOWN)) lines.push(`${indent}  ~ byte ${entry.offset}: ${entry.text}`);
	if (strings.length > APPROXIMATE_SHOWN) lines.push(`${indent}  ~ … ${strings.length - APPROXIMATE_SHOWN} more (see --json)`);
	return lines;
}
