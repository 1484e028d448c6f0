/**
 * What a scan of local checkpoint trees produces ({@link ScanResult}) and what its two halves, the
 * crawl (`crawl.ts`) and the `lstat`s (`scan.ts`), share: how they word what they could not see,
 * and how they let the event loop run.
 */
import type {Warning} from './warnings.js';
import type {FileTable} from './file-table.js';
import type {PathLayout} from './layout.js';
import type {Quarantine} from './quarantine.js';

/** A scanned directory: its layout classification and its own mtime (ms). */
export interface ScannedDirectory {
	layout: PathLayout;
	mtimeMs: number;
}

/** A symbolic link met while scanning; never followed. */
export interface ScannedSymlink {
	/** The link text. */
	target: string;
	/** The resolved target path, `null` when broken. */
	resolved: string | null;
	/** The target does not exist. */
	broken: boolean;
	/** The target lies outside every scanned root. */
	outside: boolean;
	/** The target is a directory. */
	directory: boolean;
}

/** Result of `scanTree` (`scan.ts`). All paths are absolute, without trailing slash. */
export interface ScanResult {
	/** The crawled root directories, deduplicated (a root inside another root is dropped). */
	roots: string[];
	/** Every regular file under the roots → size and mtime, by directory. */
	files: FileTable;
	/** Every directory under the roots (roots included) → classification and mtime. */
	directories: Map<string, ScannedDirectory>;
	/** Every `_metadata` file found, sorted. */
	metadataFiles: string[];
	/** Symbolic links under the roots (not followed, not in `files`). */
	symlinks: Map<string, ScannedSymlink>;
	/** Unreadable directories, vanished files, symlinks, missing roots. */
	warnings: Warning[];
	/** The `.fcx-quarantine` directories below the roots (not crawled as part of the tree: measured), sorted by path. */
	quarantines?: Quarantine[];
}

/** Progress of a scan: `done` files stat'ed of `total` found (`total` unknown while crawling). */
export type ScanProgress = (progress: {done: number; total?: number; path?: string}) => void;

/** Quarantine directory name of `fcx clean` (`<root>/.fcx-quarantine/…`): never scanned. */
export const QUARANTINE_DIR = '.fcx-quarantine';

/** Files `lstat`ed (synchronously) between two turns of the event loop. */
export const SCAN_BATCH = 4096;

/**
 * How the scan words a warning that something at or below its path was not seen: a directory it
 * could not read, an entry that is neither file, directory nor symlink, a file that vanished, a
 * symlink (never followed). Their codes are what decisions read (see `isUnseenByScan` in ./warnings.ts).
 */
export const UNSEEN = {
	unreadableDirectory: 'unreadable directory: ',
	notRegular: 'not a regular file; ignored',
	vanished: 'vanished during scan: ',
	unreadableSymlink: 'unreadable symlink: ',
	notFollowed: '; not followed',
} as const;

/** A step to await after each synchronous call: lets the event loop run once every {@link SCAN_BATCH} steps. */
export function batchYielder(): () => Promise<void> {
	let since = 0;
	return async () => {
		if (++since < SCAN_BATCH) return;
		since = 0;
		await new Promise<void>((resolve) => setImmediate(resolve));
	};
}
/** An error as one line, with its code (`ENOENT: …`). */
export function errorMessage(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (error instanceof Error) return code && !error.message.startsWith(`${code}:`) ? `${code}: ${error.message}` : error.message;
	return String(error);
}
