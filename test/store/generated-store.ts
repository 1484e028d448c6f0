/**
 * A simulated object store of any size, for the listing's streaming shape (CI, 100k objects) and
 * the 10-million-object bench (`npm run bench`, section l): `jobs` job prefixes below
 * `s3://<bucket>/cp`, each with `perJob` objects below `shared/` (UUID-like names, as Flink's),
 * generated page by page (1,000 keys, as ListObjectsV2) only when the caller asks for the next
 * page. Nothing is kept: memory is the caller's. It counts the pages made and the pages made but
 * not yet taken back by the caller (at most one per listing in flight when the caller streams).
 */
import type {ListOptions, Store, StoreEntry} from '../../source/store/types.js';

/** Keys per page (ListObjectsV2's maximum). */
export const PAGE = 1000;

/** Shape of a {@link GeneratedStore}. */
export interface GeneratedShape {
	jobs: number;
	perJob: number;
	/** Also a `chk-1/_metadata` per job (listed first in its job; its bytes are not a valid `_metadata`). */
	metadata?: boolean;
}

/** The generated store and its counters. */
export interface GeneratedStore extends Store {
	readonly root: string;
	/** Pages made so far. */
	pages: number;
	/** The most pages made that the caller had not yet asked past, at any moment. */
	maxUntaken: number;
	/** Pages made when each read began, in order. */
	readAtPages: number[];
}

/** 32 hex characters for job `j` (a Flink job id). */
function jobId(j: number): string {
	return (j + 1).toString(16).padStart(32, '0');
}

/** A UUID-like name for object `i` of a job (36 characters, as Flink's state file names). */
function objectName(i: number): string {
	const h = (i >>> 0).toString(16).padStart(12, '0');
	return `5f0e9a7c-${h.slice(0, 4)}-4${h.slice(4, 7)}-8${h.slice(7, 10)}-0000000000${h.slice(10, 12)}`;
}

/** A store with `shape.jobs × shape.perJob` objects below `s3://<bucket>/cp` (see the module doc). */
export function generatedStore(shape: GeneratedShape, bucket = 'bench'): GeneratedStore {
	const root = `s3://${bucket}/cp`;
	const mtimeMs = Date.parse('2026-11-01T10:00:00Z');
	let untaken = 0;
	const store: GeneratedStore = {
		scheme: 's3',
		description: `generated ${shape.jobs} × ${shape.perJob} objects`,
		root,
		pages: 0,
		maxUntaken: 0,
		readAtPages: [],
		async *list(path: string, options: ListOptions = {}): AsyncIterable<readonly StoreEntry[]> {
			if (path === root && options.recursive === false) {
				yield Array.from({length: shape.jobs}, (_, j) => ({path: `${root}/${jobId(j)}`, kind: 'directory' as const, size: 0, mtimeMs: 0}));
				return;
			}
			const m = /^s3:\/\/[^/]+\/cp\/([0-9a-f]{32})$/.exec(path);
			if (m === null || options.recursive === false) return;
			const shared = `${path}/shared`;
			for (let start = 0; start < shape.perJob; start += PAGE) {
				const page: StoreEntry[] = start === 0 && shape.metadata === true ? [{path: `${path}/chk-1/_metadata`, kind: 'file', size: 16, mtimeMs}] : [];
				for (let i = start; i < Math.min(shape.perJob, start + PAGE); i++) {
					page.push({path: `${shared}/${objectName(i)}`, kind: 'file', size: 4096 + (i % 997), mtimeMs});
				}
				await Promise.resolve(); // a page arrives later (a request)
				store.pages++;
				store.maxUntaken = Math.max(store.maxUntaken, ++untaken);
				yield page;
				untaken--;
			}
		},
		stat: async (path) => (path === root ? {path, kind: 'directory', size: 0, mtimeMs: 0} : undefined),
		read: async () => {
			store.readAtPages.push(store.pages);
			return new Uint8Array(16);
		},
		readRange: () => Promise.reject(new Error('no object is read')),
	};
	return store;
}
