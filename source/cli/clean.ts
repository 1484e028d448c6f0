/**
 * `fcx clean --plan FILE`: show the plan, ask (or `--yes`), re-check every entry, then quarantine
 * (or with `--delete` delete) it.
 */
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {createInterface} from 'node:readline/promises';
import {executePlan, ExecutionRefusedError, validatePlan} from '../cleanup/index.js';
import type {Plan} from '../cleanup/types.js';
import {EXIT_OK, EXIT_SKIPPED, EXIT_UNREADABLE, executionToText, planSummaryText} from '../report/index.js';
import {visibleMessage} from '../text/index.js';
import {parseDuration, UsageError} from './args.js';
import type {Flags} from './flags.js';
import {fsErrorText, ioOf, type RunContext} from './io.js';

async function defaultAsk(question: string): Promise<string> {
	const rl = createInterface({input: process.stdin, output: process.stderr});
	try {
		return await rl.question(question);
	} finally {
		rl.close();
	}
}

/**
 * Read and check the plan in `file`.
 * @returns the plan, or the one-line reason it cannot be used (`<file>: no such file or directory`)
 */
export async function readPlanFile(file: string): Promise<Plan | string> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
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
 * @returns {@link EXIT_SKIPPED} when some entries were skipped, {@link EXIT_UNREADABLE} for a plan file that cannot be used
 * @throws UsageError without `--plan`, with paths, or off a terminal without `--yes`
 */
export async function clean(paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const {stdout, stderr} = ioOf(context);
	if (flags.plan === undefined) throw new UsageError('clean needs --plan FILE (write one with: fcx plan <roots…> --json --out plan.json)');
	if (paths.length > 0) throw new UsageError(`clean takes no paths (the plan names them): ${paths.join(' ')}`);
	const minAgeMs = flags.minAge === undefined ? undefined : parseDuration(flags.minAge);
	const plan = await readPlanFile(path.resolve(flags.plan));
	if (typeof plan === 'string') {
		stderr.write(visibleMessage(`fcx: ${plan}`));
		return EXIT_UNREADABLE;
	}
	const verb = flags.delete === true ? 'to DELETE for real' : 'to move into the quarantine';
	stdout.write(planSummaryText(plan, verb));
	if (plan.entries.length === 0) {
		stdout.write('Nothing to do.\n');
		return EXIT_OK;
	}
	if (flags.yes !== true) {
		if (!context.interactive) throw new UsageError('clean: not on a terminal; pass --yes to confirm');
		const answer = await (context.ask ?? defaultAsk)(`Every entry is re-checked first. Type yes to ${flags.delete === true ? 'DELETE' : 'quarantine'} ${plan.entries.length} entries: `);
		if (answer.trim() !== 'yes') {
			stdout.write('Cancelled; nothing was changed.\n');
			return EXIT_OK;
		}
	}
	let result;
	try {
		result = await executePlan(plan, {delete: flags.delete === true, minAgeMs});
	} catch (error) {
		if (!(error instanceof ExecutionRefusedError)) throw error;
		stderr.write(visibleMessage(`fcx: clean: ${error.message}`));
		return EXIT_SKIPPED;
	}
	stdout.write(executionToText(result));
	return result.records.some((r) => r.action === 'skipped') ? EXIT_SKIPPED : EXIT_OK;
}
