/**
 * Pure helpers for the command line: durations (`--min-age`) and path mappings (`--map`).
 */
import {parseDurationMs} from '../text/index.js';

/** A command-line mistake; the CLI prints the message and exits with the usage exit code. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/**
 * Parse a duration like `90s`, `15m`, `1h`, `2d`, `1w`, `1h30m` or a bare number of milliseconds
 * (`parseDurationMs`, which the explorer's `M` prompt reads too).
 * @returns milliseconds
 * @throws UsageError on anything else
 */
export function parseDuration(text: string): number {
	const ms = parseDurationMs(text);
	if (ms === undefined) throw new UsageError(`--min-age: cannot read "${text}" as a duration (examples: 30s, 15m, 1h, 2d, 0)`);
	return ms;
}

/**
 * Parse `--map REMOTE_PREFIX=LOCAL_DIR` values. The split is at the last `=` so that remote prefixes
 * may contain `=` (e.g. query strings); `LOCAL_DIR` is resolved against `cwd`.
 * @throws UsageError when a value has no `=` or an empty side
 */
export function parseMappings(values: readonly string[], resolve: (p: string) => string): {remote: string; local: string}[] {
	return values.map((value) => {
		const at = value.lastIndexOf('=');
		const remote = at > 0 ? value.slice(0, at) : '';
		const local = at > 0 ? value.slice(at + 1) : '';
		if (!remote || !local) {
			throw new UsageError(`--map: expected REMOTE_PREFIX=LOCAL_DIR, got "${value}" (example: --map hdfs://nn:8020/flink/checkpoints=./checkpoints)`);
		}
		return {remote, local: resolve(local)};
	});
}
