/** The expected answer of the prober for a path, made with a plain `stat` (tests of `analysis/probe.ts`). */
import {statSync} from 'node:fs';
import type {Probe} from '../../source/analysis/probe.js';

/** What `stat` finds at `path` as a {@link Probe} (`ENOENT`, `ENOTDIR`: not there). */
export function statProbe(path: string): Probe {
	let st;
	try {
		st = statSync(path, {throwIfNoEntry: false});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
	}
	if (st === undefined) return {exists: false, directory: false};
	return st.isDirectory() ? {exists: true, directory: true} : {exists: true, directory: false, size: st.size};
}
