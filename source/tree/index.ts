/**
 * Checkpoint trees on the local file system: Flink's directory layout as pure functions
 * (`layout.ts`, with the path sets of `path-sets.ts`), the crawl and `lstat` of whole trees (`scan.ts`, with `crawl.ts`, the worker
 * processes of `stat-pool.ts` and the result of `scan-result.ts`), the scanned files kept per
 * directory (`file-table.ts`), and the typed warnings of a scan (`warnings.ts`). Read only.
 */
export {
	scanTree,
	dedupeRoots,
	QUARANTINE_DIR,
	type ScanResult,
	type FileStat,
	type ScannedFiles,
	type ScannedDirectory,
	type ScannedSymlink,
	type ScanProgress,
} from './scan.js';
export {FileTable} from './file-table.js';
export {quarantineTime, quarantineRoot, type Quarantine, type QuarantineRun} from './quarantine.js';
export * from './layout.js';
export * from './warnings.js';
