/**
 * The printed commands (`report`, `inspect`) and the hand-over to the interactive explorer.
 * Kept apart from `cli.tsx` so that flag parsing stays thin and this stays testable.
 */
import {readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {createInterface} from 'node:readline/promises';
import {analyse, APPROXIMATE_SCAN_LIMIT, APPROXIMATE_SCAN_MAX_BYTES, simulateRetention, whatIfDelete} from '../analysis/index.js';
import {classifyPath, parentPath, stripTrailingSlash} from '../tree/index.js';
import type {AnalyseOptions, Analysis} from '../analysis/types.js';
import {CleanWriteError, executePlan, ExecutionRefusedError, makePlan, planToShellScript, validatePlan, writeErrorCause} from '../cleanup/index.js';
import type {ExecutionRecord, Plan} from '../cleanup/types.js';
import {ParseError, readMetadataFile, readRegularFileBytes, scanPathStrings, type ApproximateReference} from '../metadata/index.js';
import type {ChannelStateLayout} from '../metadata/types.js';
import {
	EXIT_OK,
	EXIT_OUTPUT,
	approximateLines,
	EXIT_SKIPPED,
	EXIT_UNREADABLE,
	EXIT_USAGE,
	executionToText,
	exitCodeFor,
	planSummaryText,
	retentionToText,
	whatIfToText,
	inspectToJson,
	inspectToText,
	reportJsonChunks,
	reportTextChunks,
} from '../report/index.js';
import {visibleLines, visibleMessage} from '../text/index.js';
import {METADATA_FILE} from '../tree/layout.js';
import type {S3StoreOptions} from '../store/s3.js';
import {isRemoteRoot} from '../store/uri.js';
import {parseDuration, parseMappings, UsageError} from './args.js';

/** What the user asked for. `explore` prints the text report when not on a terminal. */
export type Command = 'explore' | 'report' | 'inspect' | 'what-if' | 'plan' | 'clean';

/** The commands the CLI recognises as a first word. */
export const COMMANDS: readonly Command[] = ['explore', 'report', 'inspect', 'what-if', 'plan', 'clean'];

/** Default `--min-age` when not given (`clean` uses the plan's instead). */
export const DEFAULT_MIN_AGE = '1h';

/** Parsed flags, as meow gives them. */
export interface Flags {
	json: boolean;
	/** `report --json --files`: list every referenced file of every checkpoint. */
	files?: boolean;
	map: string[];
	/** `--min-age`; absent: {@link DEFAULT_MIN_AGE} (`clean`: the plan's). */
	minAge?: string;
	channelLayout?: string;
	color: boolean;
	/** `what-if --keep-last N`. */
	keepLast?: number;
	/** `what-if --root DIR` (repeatable). */
	root?: string[];
	/** `plan --target PATH` (repeatable). */
	target?: string[];
	/** `plan --accept-unreadable`: plan targets that unreadable snapshots may reference. */
	acceptUnreadable?: boolean;
	/** `plan --out FILE`. */
	out?: string;
	/** `clean --plan FILE`. */
	plan?: string;
	/** `clean --delete`: remove for real instead of quarantining. */
	delete?: boolean;
	/** `clean --yes`: no confirmation prompt (required when not on a terminal). */
	yes?: boolean;
	/** Explorer: allow marking orphans and quarantining them. */
	allowDelete?: boolean;
	/** S3 roots: `--endpoint URL`. */
	endpoint?: string;
	/** S3 roots: `--[no-]path-style` (default: path style with a custom endpoint). */
	pathStyle?: boolean;
}

/** Where output goes; defaults to the process streams. */
export interface RunContext {
	interactive: boolean;
	/** Tool version for report headers. */
	version?: string;
	stdout?: NodeJS.WritableStream;
	stderr?: NodeJS.WritableStream;
	/** Asks the user a question on the terminal (`clean`); default: readline on stdin/stderr. */
	ask?: (question: string) => Promise<string>;
}

/**
 * Run a command on `paths` and return the exit status (see `readme.md`, Exit status).
 * @throws UsageError for bad flag values
 */
export async function runCommand(command: Command, paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const stdout = context.stdout ?? process.stdout;
	const stderr = context.stderr ?? process.stderr;
	// Store URIs (`s3://bucket/prefix`) stay as they are; the store says when nothing is there.
	const absolute = paths.map((p) => (isRemoteRoot(p) ? p : path.resolve(p)));

	const remote = paths.find(isRemoteRoot);
	if (remote !== undefined && (command === 'inspect' || command === 'clean' || flags.allowDelete === true)) {
		throw new UsageError(`${remote}: ${command === 'explore' ? '--allow-delete' : command} works on local files only (report, what-if, plan and the explorer read S3 roots)`);
	}
	if (command === 'inspect') return inspect(absolute, flags, stdout, stderr);
	if (command === 'clean') return clean(paths, flags, context, stdout, stderr);

	const options: AnalyseOptions = {
		mappings: parseMappings(flags.map, (p) => path.resolve(p)),
		minAgeMs: parseDuration(flags.minAge ?? DEFAULT_MIN_AGE),
		s3: s3Options(flags),
	};
	const roots = (flags.root ?? []).map((p) => (isRemoteRoot(p) ? p : path.resolve(p)));
	for (const p of [...absolute, ...roots].filter((r) => !isRemoteRoot(r))) {
		try {
			await stat(p);
		} catch (error) {
			stderr.write(visibleMessage(`fcx: ${fsErrorText(p, error)}`));
			return EXIT_UNREADABLE;
		}
	}

	if (command === 'explore' && context.interactive && !flags.json) {
		const {renderExplorer} = await import('../ui/index.js');
		return renderExplorer({
			load: async (onProgress) => analyse(absolute, {...options, onProgress}),
			title: paths.join(' '),
			allowDelete: flags.allowDelete === true,
			onQuarantine: flags.allowDelete === true ? async (marked) => quarantineMarked(absolute, options, marked) : undefined,
		});
	}

	if (command === 'what-if') return whatIf(absolute, roots, options, flags, stdout, stderr);
	if (command === 'plan') return planCommand(absolute, options, flags, stdout, stderr);

	const analysis = await analyseWithProgress(absolute, options, stderr);
	const color = flags.color && !process.env.NO_COLOR && Boolean((stdout as NodeJS.WriteStream).isTTY);
	const {version} = context;
	// Streamed: the JSON report of a million-file tree is over a gigabyte of text.
	await writeChunks(stdout, flags.json ? reportJsonChunks(analysis, {version, files: flags.files === true}) : reportTextChunks(analysis, {color, version}));
	// A remote root cannot be checked before the analysis (as a local one is with `stat`): one that
	// could not be listed, or has nothing below it, is unreadable input all the same.
	const unlisted = analysis.warnings.filter((w) => w.code === 'root-unreadable' && isRemoteRoot(w.path));
	for (const w of unlisted) stderr.write(visibleMessage(`fcx: ${w.path}: ${w.message}`));
	return unlisted.length > 0 ? EXIT_UNREADABLE : exitCodeFor(analysis);
}

/** Write `chunks` to `stream`, waiting for `drain` whenever it asks to (backpressure). */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
	for (const chunk of chunks) {
		if (stream.write(chunk) !== false) continue;
		await new Promise<void>((resolve, reject) => {
			const done = (error?: unknown): void => {
				stream.off('drain', done);
				stream.off('error', done);
				stream.off('close', done);
				if (error instanceof Error) reject(error);
				else resolve();
			};
			stream.on('drain', done);
			stream.on('error', done);
			stream.on('close', done);
		});
	}
}

/** Analyse quietly, with a progress line on a terminal stderr. */
async function analyseWithProgress(paths: string[], options: AnalyseOptions, stderr: NodeJS.WritableStream): Promise<Analysis> {
	const showProgress = Boolean((stderr as NodeJS.WriteStream).isTTY);
	const analysis = await analyse(paths, {
		...options,
		onProgress: showProgress ? (p) => stderr.write(`\r\u001B[2K${p.phase} ${p.done}${p.total === undefined ? '' : `/${p.total}`}`) : undefined,
	});
	if (showProgress) stderr.write('\r\u001B[2K');
	return analysis;
}

/**
 * Default roots of `fcx what-if <targets…>`: for each target, the directory ABOVE its base
 * directory (the one holding the job directory, or the savepoint directory), so that a sibling
 * `checkpoints/` and `savepoints/` are both seen (jobs restored from a savepoint reference it from
 * the checkpoint base). When that would be `/`, the base directory itself. A target outside any
 * job or savepoint directory: its parent directory.
 */
export function defaultWhatIfRoots(targets: readonly string[]): string[] {
	const roots = new Set<string>();
	for (const t of targets) {
		const abs = stripTrailingSlash(path.resolve(t));
		const layout = classifyPath(abs);
		const storage = layout.jobDir ?? (layout.storageKind === 'savepoint' ? layout.storageDir : null);
		if (storage === null) {
			roots.add(parentPath(abs));
			continue;
		}
		const base = parentPath(storage);
		const above = parentPath(base);
		roots.add(above === '/' ? base : above);
	}
	return [...roots];
}

async function whatIf(paths: string[], roots: string[], options: AnalyseOptions, flags: Flags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
	if (flags.keepLast !== undefined) {
		if (!Number.isInteger(flags.keepLast) || flags.keepLast < 1) throw new UsageError(`--keep-last: expected a positive integer, got ${flags.keepLast}`);
		const scanRoots = [...paths, ...roots];
		if (scanRoots.length === 0) throw new UsageError('what-if --keep-last N needs the roots to analyse');
		const analysis = await analyseWithProgress(scanRoots, options, stderr);
		const result = simulateRetention(analysis, flags.keepLast);
		stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : retentionToText(result, analysis.roots));
		return EXIT_OK;
	}
	if (paths.length === 0) throw new UsageError('what-if needs the paths to assess (or --keep-last N with roots)');
	const scanRoots = roots.length > 0 ? roots : defaultWhatIfRoots(paths);
	const analysis = await analyseWithProgress(scanRoots, options, stderr);
	const result = whatIfDelete(analysis, paths);
	stdout.write(flags.json ? `${JSON.stringify({roots: analysis.roots, ...result}, null, 2)}\n` : whatIfToText(result, analysis.roots));
	return EXIT_OK;
}

async function planCommand(paths: string[], options: AnalyseOptions, flags: Flags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
	const analysis = await analyseWithProgress(paths, options, stderr);
	let plan: Plan;
	try {
		plan = makePlan(analysis, {targets: (flags.target ?? []).map((t) => path.resolve(t)), acceptUnreadable: flags.acceptUnreadable === true});
	} catch (error) {
		stderr.write(visibleMessage(`fcx: ${error instanceof Error ? error.message : String(error)}`));
		return EXIT_USAGE;
	}
	const asJson = flags.json || (flags.out !== undefined && flags.out.endsWith('.json'));
	const text = asJson ? `${JSON.stringify(plan, null, 2)}\n` : planToShellScript(plan);
	if (flags.out === undefined) {
		stdout.write(text);
		return EXIT_OK;
	}
	const out = path.resolve(flags.out);
	try {
		await writeFile(out, text, {flag: 'wx'});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`--out: ${out} already exists (not overwritten)`);
		// The user's environment (a missing or read-only directory, a full disk), not a bug in fcx.
		stderr.write(visibleMessage(`fcx: plan: cannot write ${out}: ${writeErrorCause(error)}`));
		return EXIT_OUTPUT;
	}
	stdout.write(planSummaryText(plan));
	stdout.write(asJson ? `Plan written to ${out}. Execute it with: fcx clean --plan ${out}\n` : `Shell script written to ${out} (review it; \`fcx plan --json --out plan.json\` + \`fcx clean --plan plan.json\` is the safer way).\n`);
	return EXIT_OK;
}

async function defaultAsk(question: string): Promise<string> {
	const rl = createInterface({input: process.stdin, output: process.stderr});
	try {
		return await rl.question(question);
	} finally {
		rl.close();
	}
}

async function clean(paths: string[], flags: Flags, context: RunContext, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
	if (flags.plan === undefined) throw new UsageError('clean needs --plan FILE (write one with: fcx plan <roots…> --json --out plan.json)');
	if (paths.length > 0) throw new UsageError(`clean takes no paths (the plan names them): ${paths.join(' ')}`);
	const minAgeMs = flags.minAge === undefined ? undefined : parseDuration(flags.minAge);
	const file = path.resolve(flags.plan);
	let plan: Plan;
	try {
		plan = validatePlan(JSON.parse(await readFile(file, 'utf8')));
	} catch (error) {
		stderr.write(visibleMessage(`fcx: ${file}: ${error instanceof Error ? error.message : String(error)}`));
		return EXIT_UNREADABLE;
	}
	const verb = flags.delete ? 'to DELETE for real' : 'to move into the quarantine';
	stdout.write(planSummaryText(plan, verb));
	// The plan is input, not authority: the roots it names are what gets scanned again and decides
	// what is an orphan, so the user sees them before confirming.
	stdout.write(visibleLines(['Roots re-scanned before acting (from the plan file):', ...plan.roots.map((r) => `  ${r}`)]));
	if (plan.entries.length === 0) {
		stdout.write('Nothing to do.\n');
		return EXIT_OK;
	}
	if (!flags.yes) {
		if (!context.interactive) throw new UsageError('clean: not on a terminal; pass --yes to confirm');
		const answer = await (context.ask ?? defaultAsk)(`Every entry is re-checked first. Type yes to ${flags.delete ? 'DELETE' : 'quarantine'} ${plan.entries.length} entries: `);
		if (answer.trim() !== 'yes') {
			stdout.write('Cancelled; nothing was changed.\n');
			return EXIT_OK;
		}
	}
	let result;
	try {
		result = await executePlan(plan, {delete: flags.delete === true, minAgeMs});
	} catch (error) {
		if (error instanceof CleanWriteError) {
			stderr.write(visibleMessage(`fcx: clean: ${error.message}`));
			return EXIT_OUTPUT;
		}
		if (!(error instanceof ExecutionRefusedError)) throw error;
		stderr.write(visibleMessage(`fcx: clean: ${error.message}`));
		return EXIT_SKIPPED;
	}

	stdout.write(executionToText(result));
	return result.records.some((r) => r.action === 'skipped') ? EXIT_SKIPPED : EXIT_OK;
}

/** The explorer's `D`: plan exactly the marked orphans (fresh analysis) and quarantine them. */
async function quarantineMarked(roots: string[], options: AnalyseOptions, marked: string[]): Promise<{records: ExecutionRecord[]; restoreCommand: string | null; logPath: string}> {
	const analysis = await analyse(roots, options);
	const plan = makePlan(analysis, {only: marked});
	const result = await executePlan(plan, {minAgeMs: options.minAgeMs});
	const excluded: ExecutionRecord[] = (plan.excluded ?? []).map((x) => ({path: x.path, action: 'skipped', reason: x.reason}));
	return {records: [...result.records, ...excluded], restoreCommand: result.restoreCommand, logPath: result.logPath};
}

async function inspect(paths: string[], flags: Flags, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
	const layout = flags.channelLayout?.toUpperCase();
	if (layout !== undefined && layout !== 'A' && layout !== 'B') {
		throw new UsageError(`--channel-layout: expected A or B, got "${flags.channelLayout}"`);
	}
	let code = EXIT_OK;
	const json: unknown[] = [];
	for (const named of paths) {
		const file = await metadataFileOf(named);
		if (file === undefined) {
			stderr.write(visibleMessage(`fcx: ${named}: a directory without a ${METADATA_FILE} file; inspect takes _metadata files, or the checkpoint and savepoint directories that hold them`));
			code = EXIT_UNREADABLE;
			if (flags.json) json.push({path: named, error: `a directory without a ${METADATA_FILE} file`});
			continue;
		}

		try {
			const result = await readMetadataFile(file, {channelLayout: layout as ChannelStateLayout | undefined});
			if (flags.json) json.push(inspectToJson(file, result));
			else stdout.write(inspectToText(file, result));
		} catch (error) {
			if (!(error instanceof ParseError) && !isFsError(error)) throw error;
			const message = error instanceof ParseError ? error.message : fsErrorText(file, error);
			stderr.write(visibleMessage(`fcx: ${message}`));
			code = EXIT_UNREADABLE;
			const approximate = error instanceof ParseError ? await approximateStrings(file, error) : undefined;
			if (flags.json) json.push({path: file, error: message, ...(approximate ? {approximate: {notAuthoritative: true, strings: approximate}} : {})});
			else if (approximate) stdout.write(visibleLines([file, ...approximateLines(approximate, '  ')]));
		}
	}
	if (flags.json) stdout.write(`${JSON.stringify(json, null, 2)}\n`);
	return code;
}

/**
 * The `_metadata` file `named` stands for: itself, or for a directory (a checkpoint or savepoint
 * directory) the `_metadata` in it; `undefined` for a directory without one. A path that cannot
 * be `stat`ed is returned as it is (reading it says why).
 */
async function metadataFileOf(named: string): Promise<string | undefined> {
	const isDirectory = await stat(named).then((st) => st.isDirectory(), () => false);
	if (!isDirectory) return named;
	const inside = path.join(named, METADATA_FILE);
	return (await stat(inside).then((st) => !st.isDirectory(), () => false)) ? inside : undefined;
}

/**
 * For a file with Flink's magic that still failed to parse (damaged, or an unknown version): the
 * path-like strings in its bytes, as an approximate, non-authoritative hint. `undefined` for files
 * that are not Flink metadata at all, or too big to scan.
 */
async function approximateStrings(file: string, error: ParseError): Promise<ApproximateReference[] | undefined> {
	if (error.offset < 4) return undefined;
	// Non-blocking, regular files only, capped (readFile would hang on a FIFO swapped in meanwhile).
	const bytes = await readRegularFileBytes(file, APPROXIMATE_SCAN_MAX_BYTES).catch(() => undefined);
	return bytes === undefined ? undefined : scanPathStrings(bytes, {limit: APPROXIMATE_SCAN_LIMIT});
}

/** What went wrong reading `file`, as `<file>: <reason>` (`no such file or directory`, `permission denied`, …). */
function fsErrorText(file: string, error: unknown): string {
	const reasons: Record<string, string> = {ENOENT: 'no such file or directory', EACCES: 'permission denied', EPERM: 'operation not permitted', ENOTDIR: 'a path component is not a directory', ELOOP: 'too many symbolic links', EISDIR: 'is a directory'};
	const code = isFsError(error) ? error.code : undefined;
	return `${file}: ${(code === undefined ? undefined : reasons[code]) ?? (error instanceof Error ? error.message : String(error))}`;
}

function isFsError(error: unknown): error is NodeJS.ErrnoException {
	return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * How S3 roots are reached: `--endpoint`, `--[no-]path-style`; the rest from the SDK's chain.
 * @throws UsageError for an endpoint that is not an http(s) URL
 */
function s3Options(flags: Flags): S3StoreOptions {
	const options: S3StoreOptions = {};
	if (flags.endpoint !== undefined) {
		if (!/^https?:\/\/[^/]/.test(flags.endpoint)) throw new UsageError(`--endpoint: expected an http(s) URL, got "${flags.endpoint}" (example: --endpoint http://127.0.0.1:9000)`);
		options.endpoint = flags.endpoint;
	}
	if (flags.pathStyle !== undefined) options.pathStyle = flags.pathStyle;
	return options;
}
