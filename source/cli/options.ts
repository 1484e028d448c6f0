/**
 * The analysis options the flags of the tree-reading commands give: `--map` and `--min-age`.
 */
import path from 'node:path';
import type {AnalyseOptions} from '../analysis/types.js';
import {parseDuration, parseMappings} from './args.js';
import type {Flags} from './flags.js';

/** Default `--min-age` when not given (`clean` uses the plan's instead). */
export const DEFAULT_MIN_AGE = '1h';

/**
 * `--map` and `--min-age` as analysis options (local paths resolved against the working directory).
 * @throws UsageError for a bad `--map` or `--min-age`
 */
export function analyseOptionsOf(flags: Flags): AnalyseOptions {
	return {
		mappings: parseMappings(flags.map ?? [], (p) => path.resolve(p)),
		minAgeMs: parseDuration(flags.minAge ?? DEFAULT_MIN_AGE),
	};
}
