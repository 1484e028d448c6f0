/**
 * `fcx plan`: a deletion plan (JSON, or a reviewable shell script), printed or written to `--out`.
 */
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {makePlan, planToShellScript, writeErrorCause} from '../cleanup/index.js';
import type {Plan} from '../cleanup/types.js';
import {EXIT_OK, EXIT_OUTPUT, EXIT_UNREADABLE, EXIT_USAGE, planSummaryText} from '../report/index.js';
import {visibleMessage} from '../text/index.js';
import {UsageError} from './args.js';
import type {Flags} from './flags.js';
import {allPathsExist, analyseWithProgress, ioOf, reportUnlistedRemoteRoots, type RunContext} from './io.js';
import {absolutePaths, analyseOptionsOf, targetPaths} from './options.js';

/**
 * `fcx plan <roots…> [--target PATH…] [--json] [--out FILE]`.
 * @returns {@link EXIT_USAGE} for a refused `--target` (something would break), {@link EXIT_OUTPUT} when `--out` cannot be written
 * @throws UsageError when `--out` exists (it is never overwritten)
 */
export async function planCommand(paths: string[], flags: Flags, context: RunContext): Promise<number> {
	const {stdout, stderr} = ioOf(context);
	const options = analyseOptionsOf(flags);
	const absolute = absolutePaths(paths);
	if (!(await allPathsExist(absolute, stderr))) return EXIT_UNREADABLE;
	const analysis = await analyseWithProgress(absolute, options, stderr);
	if (reportUnlistedRemoteRoots(analysis, stderr)) return EXIT_UNREADABLE;
	let plan: Plan;
	try {
		plan = makePlan(analysis, {targets: targetPaths(flags.target ?? []), acceptUnreadable: flags.acceptUnreadable === true});
	} catch (error) {
		stderr.write(visibleMessage(`fcx: ${error instanceof Error ? error.message : String(error)}`));
		return EXIT_USAGE;
	}
	const asJson = flags.json === true || (flags.out !== undefined && flags.out.endsWith('.json'));
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
	stdout.write(
		asJson
			? `Plan written to ${out}. Execute it with: fcx clean --plan ${out}\n`
			: `Shell script written to ${out} (review it; \`fcx plan --json --out plan.json\` + \`fcx clean --plan plan.json\` is the safer way).\n`,
	);
	return EXIT_OK;
}
