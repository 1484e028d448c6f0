/**
 * A full garbage collection at the build's one moment where most of what it made is garbage: once
 * every written path is resolved, the spellings, their per-directory maps of names and the
 * columns only adding snapshots needed are dropped (about 130 MB of heap on the 1M-file bench
 * tree). V8 did not collect them before the later phases allocated on top, so they set the
 * report's peak RSS (540-555 MB; 508 MB when collected there, same wall time).
 */
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/** Fewer written paths than this leave too little garbage for a full collection to pay (the 1M-file tree has a million). */
const MIN_SPELLINGS = 500_000;

/** V8's `gc`, once looked up; `null` where it cannot be had (then nothing is collected: memory only). */
let gc: (() => void) | null | undefined;

/**
 * Collect all garbage now when the build resolved at least {@link MIN_SPELLINGS} written paths
 * (`spellings`); else nothing. Never throws: without V8's `gc` it does nothing.
 */
export function collectAfterResolution(spellings: number): void {
	if (spellings < MIN_SPELLINGS) return;
	if (gc === undefined) {
		try {
			// `gc` exists only in a context made after the flag is set.
			setFlagsFromString('--expose-gc');
			const found: unknown = runInNewContext('typeof gc === "function" ? gc : null');
			gc = typeof found === 'function' ? (found as () => void) : null;
		} catch {
			gc = null;
		}
	}
	gc?.();
}
