/**
 * Where a written directory probably lies locally, before every snapshot is added: for `stat`ing
 * the paths outside the roots ahead while the `_metadata` files still load (`probe-ahead.ts`).
 * A guess that no resolution depends on (see `resolve.ts` for the rules that decide).
 */
import {isLocalUri, parseUri} from '../tree/layout.js';
import type {Anchors} from './anchors.js';
import {joinLocal, matchKey, prefixRest, type Mapping} from './resolution.js';

/**
 * Where the plain file names of written directory `dir` probably lie locally, by the `explicit`
 * mappings (rule 1, longest first), the `anchors` (1b), the `learnt` bases (5) and a local path as
 * written, what the snapshots added so far taught (not rules 2-4): an absolute local directory, or
 * `undefined` when it cannot tell. Reads only: nothing memoised, no mapping marked used.
 */
export function guessLocalDir(dir: string, explicit: readonly Mapping[], anchors: Anchors, learnt: Iterable<Mapping>): string | undefined {
	const uri = parseUri(`${dir}/_`);
	if (uri === null) return undefined;
	const key = matchKey(uri);
	let path: string | undefined;
	for (const m of explicit) {
		const rest = prefixRest(key, m.key);
		if (rest !== null) {
			path = joinLocal(m.local, rest);
			break;
		}
	}
	const anchored = path ?? (anchors.size === 0 ? undefined : anchors.anchoredPath(uri, key));
	if (anchored === 'ambiguous') return undefined;
	path = anchored;
	if (path === undefined) {
		let best: Mapping | undefined;
		for (const m of learnt) if (prefixRest(key, m.key) !== null && (best === undefined || m.key.length > best.key.length)) best = m;
		path = best === undefined ? (isLocalUri(uri) ? uri.path : undefined) : joinLocal(best.local, prefixRest(key, best.key)!);
	}
	return path !== undefined && path.startsWith('/') && path.endsWith('/_') ? path.slice(0, -2) : undefined;
}
