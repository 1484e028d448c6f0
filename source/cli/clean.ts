/**
 * `fcx clean --plan FILE`: show the plan, ask (or `--yes`), re-check every entry, then quarantine
 * (or with `--delete` delete) it.
 */
import path from 'node:path';
import process from 'node:process';
import {createInterface} from 'node:readline/promises';
import {CleanWriteError, executePlan, executeRemotePlan, ExecutionRefusedError, validatePlan, type ExecutionResult} from '../cleanup/index.js';
import {createS3Store, environmentEndpoint} from '../store/s3.js';
import {readRegularFileBytes} from '../metadata/index.js';
import {isRemoteRoot, storeKindOf} from '../store/uri.js';
import type {Plan} from '../cleanup/types.js';
import {EXIT_OK, EXIT_OUTPUT, EXIT_SKIPPED, EXIT_UNREADABLE, executionToText, planSummaryText} from '../report/index.js';
import {visibleLines, visibleMessage} from '../text/index.js';
import {parseDuration, UsageError} from './args.js';
import type {Flags} from './flags.js';
import {fsErrorText, ioOf, type RunContext} from './io.js';
import {hdfsOptions, refuseRemote, s3Options} from './options.js';

/**
 * Execute a plan with remote roots through the one executor: S3 (`--endpoint`,
 * `--[no-]path-style`, `--allow-versioned`) or HDFS (`--webhdfs`, `--hdfs-user`, `--delegation`);
 * its warnings (a bucket the store would not say is unversioned, …) go to `stderr`.
 */
async function cleanRemote(
	plan: Plan,
	options: {delete: boolean; minAgeMs: number | undefined; acceptUnreadable: boolean},
	flags: Flags,
	stderr: NodeJS.WritableStream,
): Promise<ExecutionResult> {
	const hdfsRoot = plan.roots.find((r) => storeKindOf(r) === 'hdfs');
	if (hdfsRoot !== undefined) {
		const {openWebHdfsStore, webHdfsAuthFromEnv} = await import('../store/webhdfs.js');
		const store = openWebHdfsStore({root: hdfsRoot, ...webHdfsAuthFromEnv(), ...hdfsOptions(flags)});
		return executeRemotePlan(plan, {...options, store});
	}
	const s3 = s3Options(flags);
	const store = await createS3Store(s3);
	try {
		const result = await executeRemotePlan(plan, {
			...options,
			store,
			allowVersioned: flags.allowVersioned === true,
			endpoint: s3.endpoint ?? environmentEndpoint(),
		});
		for (const w of result.warnings) stderr.write(visibleMessage(`fcx: clean: ${w}`));
		return result;
	} finally {
		await store.close();
	}
}

async function defaultAsk(question: string): Promise<string> {
	const rl = createInterface({input: process.stdin, output: process.stderr});
	try {
		return await rl.question(question);
	} finally {
		rl.close();
	}
}

/** The largest plan file read, bytes (a plan of a million entries is about 300 MB). */
const MAX_PLAN_BYTES = 1024 * 1024 * 1024;

/**
 * Read and check the plan in `file`.
 * @returns the plan, or the one-line reason it cannot be used (`<file>: no such file or directory`)
 */
export async function readPlanFile(file: string): Promise<Plan | string> {
	let text: string;
	try {
		// Non-blocking, regular files only, capped: a FIFO named as the plan must not hang clean.
		text = Buffer.from(await readRegularFileBytes(file, MAX_PLAN_BYTES)).toString('utf8');
	} catch (error) {
		return fsErrorText(file, error);
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return `${file}: not a plan: not JSON (${error instanceof Error ? error.message : String(error)}); write one with: fcx plan <roots…> --json --out plan.json`;
	}
	try {
		return validatePlan(value);
	} catch (error) {
		return `${file}: ${error instanceof Error ? error.message : String(error)}`;
	}
}

/**
 * `fcx clean --plan FILE [--delete] [--min-age D] [--yes]`.
 * @returns {@link EXIT_SKIPPED} when some entries were skipped, {@link EXIT_UNREADABLE} for a plan file that cannot be used,
 *   {@link EXIT_OUTPUT} when the log or the restore script cannot be written (it stops before the next move)
 * @throws UsageError without `--plan`, with paths, or off a terminal without `--yes`
 */
export async function clean(paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const {stdout, stderr} = ioOf(context);
	refuseRemote('clean', paths, flags);
	if (flags.plan === undefined) throw new UsageError('clean needs --plan FILE (write one with: fcx plan <roots…> --json --out plan.json)');
	if (paths.length > 0) throw new UsageError(`clean takes no paths (the plan names them): ${paths.join(' ')}`);
	const minAgeMs = flags.minAge === undefined ? undefined : parseDuration(flags.minAge);
	const plan = await readPlanFile(path.resolve(flags.plan));
	if (typeof plan === 'string') {
		stderr.write(visibleMessage(`fcx: ${plan}`));
		return EXIT_UNREADABLE;
	}
	const remote = plan.roots.some(isRemoteRoot);
	const verb = flags.delete === true ? 'to DELETE for real' : 'to move into the quarantine';
	stdout.write(planSummaryText(plan, verb));
	// The plan is input, not authority: the roots it names are what gets scanned again and decides
	// what is an orphan, so the user sees them before confirming.
	stdout.write(visibleLines(['Roots re-scanned before acting (from the plan file):', ...plan.roots.map((r) => `  ${r}`)]));
	if (plan.entries.length === 0) {
		stdout.write('Nothing to do.\n');
		return EXIT_OK;
	}
	if (flags.yes !== true) {
		if (!context.interactive) throw new UsageError('clean: not on a terminal; pass --yes to confirm');
		const answer = await (context.ask ?? defaultAsk)(
			`Every entry is re-checked first. Type yes to ${flags.delete === true ? 'DELETE' : 'quarantine'} ${plan.entries.length} entries: `,
		);
		if (answer.trim() !== 'yes') {
			stdout.write('Cancelled; nothing was changed.\n');
			return EXIT_OK;
		}
	}
	let result;
	try {
		const options = {delete: flags.delete === true, minAgeMs, acceptUnreadable: flags.acceptUnreadable === true};
		result = remote ? await cleanRemote(plan, options, flags, stderr) : await executePlan(plan, options);
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
