/** The JSON of a job's storage and of the quarantines (`ReportJobStorage`, `ReportQuarantine` of `json-schema.ts`). */
import type {JobStorage} from '../analysis/storage.js';
import type {Analysis} from '../analysis/types.js';
import {isoTime} from '../text/index.js';
import type {ReportJobStorage, ReportQuarantine} from './json-schema.js';
import {quarantineCommands, quarantinesOf} from './quarantines.js';

/** A job's storage as written in the report. */
export function jobStorageToJson(storage: JobStorage): ReportJobStorage {
	return {
		files: storage.files,
		bytes: storage.bytes,
		parts: storage.parts.map((p) => ({part: p.part, bytes: p.bytes, files: p.files})),
		neededByOthersBytes: storage.neededByOthersBytes,
		onlyThisJobBytes: storage.onlyThisJobBytes,
		neededBy: storage.neededBy.map((n) => ({path: n.path, jobId: n.jobId, files: n.files, bytes: n.bytes})),
		unknownReferrers: storage.unknownReferrers,
	};
}

/** The quarantines as written in the report, sorted by path. */
export function quarantinesToJson(analysis: Analysis): ReportQuarantine[] {
	return [...quarantinesOf(analysis)]
		.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
		.map((q) => {
			const out: ReportQuarantine = {
				path: q.path,
				files: q.files,
				bytes: q.bytes,
				newest: q.runs.length === 0 ? null : isoTime(q.newestMs),
				oldest: q.runs.length === 0 ? null : isoTime(q.oldestMs),
				runs: q.runs.map((run) => ({
					path: run.path,
					name: run.name,
					files: run.files,
					bytes: run.bytes,
					time: run.timeMs > 0 ? isoTime(run.timeMs) : null,
					restoreScript: run.restoreScript,
					log: run.log,
					commands: quarantineCommands(q, run),
				})),
			};
			if (q.error !== undefined) out.error = q.error;
			return out;
		});
}
