/**
 * Offline listings (`--listing`): each format read back equals the local tree it lists (paths,
 * sizes, times to the listing's resolution), and bad input gets one line naming the file and line.
 */
import {mkdirSync, writeFileSync, utimesSync} from 'node:fs';
import * as nodePath from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {detectListingFormat} from '../../source/store/listing/detect.js';
import {openListingStore, type ListedStoreEntry} from '../../source/store/listing/store.js';
import {ListingError, MINUTE_MS, SECOND_MS} from '../../source/store/listing/types.js';
import {StoreError, type Store} from '../../source/store/types.js';
import {tempDir} from '../support/temp.js';
import {hdfsLsText, s3ApiJsonText, s3LsText, walkLocal, writeInventory, type LocalEntry} from './local-tree.js';

const JOB = '0123456789abcdef0123456789abcdef';

/** A small checkpoint tree with awkward names (a space, a plus, a percent) and an empty directory. */
function makeTree(): string {
	const dir = tempDir('fcx-listing-tree-');
	const files: Record<string, string> = {
		[`${JOB}/chk-3/_metadata`]: 'metadata bytes',
		[`${JOB}/chk-3/exclusive-1`]: 'x'.repeat(1234),
		[`${JOB}/shared/a b+c%20.sst`]: 'shared',
		[`${JOB}/shared/plain.sst`]: '',
	};
	let t = Date.parse('2026-12-01T10:15:42.345Z');
	for (const [rel, text] of Object.entries(files)) {
		const abs = nodePath.join(dir, rel);
		mkdirSync(nodePath.dirname(abs), {recursive: true});
		writeFileSync(abs, text);
		utimesSync(abs, new Date(t), new Date(t));
		t += 61_001;
	}
	mkdirSync(nodePath.join(dir, JOB, 'taskowned'));
	return dir;
}

/** What the store lists below its root, as relative paths → entry, and the entries' resolutions. */
async function listed(store: {list: (p: string) => AsyncIterable<readonly ListedStoreEntry[]>}, root: string): Promise<Map<string, ListedStoreEntry>> {
	const out = new Map<string, ListedStoreEntry>();
	for await (const batch of store.list(root)) {
		for (const e of batch) {
			expect(out.has(e.path), `listed twice: ${e.path}`).toBe(false);
			out.set(e.path.slice(root.length + 1), e);
		}
	}
	return out;
}

/** The local entries as a listing shows them: every directory, or only those with files below (`implied`, S3 without markers). */
function expected(entries: readonly LocalEntry[], dirs: 'all' | 'implied'): Map<string, {kind: string; size: number}> {
	const out = new Map<string, {kind: string; size: number}>();
	for (const e of entries) {
		if (e.kind === 'directory' && dirs === 'implied' && !entries.some((f) => f.kind === 'file' && f.rel.startsWith(e.rel + '/'))) continue;
		out.set(e.rel, {kind: e.kind, size: e.size});
	}
	return out;
}

function expectSame(got: Map<string, ListedStoreEntry>, entries: readonly LocalEntry[], resolution: number, dirs: 'all' | 'implied'): void {
	const want = expected(entries, dirs);
	expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
	for (const [rel, w] of want) {
		const g = got.get(rel)!;
		expect({rel, kind: g.kind, size: g.size}).toEqual({rel, ...w});
		if (g.kind === 'file') {
			const local = entries.find((e) => e.rel === rel)!;
			expect(g.timeResolutionMs).toBe(resolution);
			// The listed time is the start of the window the real time is in; the store's mtime is its end.
			expect(g.listedMtimeMs).toBe(Math.floor(local.mtimeMs / resolution) * resolution);
			expect(g.mtimeMs).toBe(g.listedMtimeMs + resolution - 1);
			expect(g.mtimeMs).toBeGreaterThanOrEqual(local.mtimeMs);
		}
	}
}

describe('offline listings equal the local tree they list', () => {
	const tree = makeTree();
	const local = walkLocal(tree);
	const work = tempDir('fcx-listing-files-');

	it('hdfs dfs -ls -R (absolute paths; minute resolution; ACL +; a name with spaces)', async () => {
		const file = nodePath.join(work, 'hdfs-ls.txt');
		writeFileSync(file, hdfsLsText(local, '/flink/cp'));
		expect(await detectListingFormat(file)).toBe('hdfs-ls');
		const store = await openListingStore({root: 'hdfs://ns1/flink/cp', listings: [file]});
		expectSame(await listed(store, 'hdfs://ns1/flink/cp'), local, MINUTE_MS, 'all');
		expect(store.takenAtMs).toBeUndefined();
		// Ages are counted from the latest time the newest listed file may have been written.
		const newest = Math.max(...local.filter((e) => e.kind === 'file').map((e) => e.mtimeMs));
		expect(store.asOfMs).toBe(Math.floor(newest / MINUTE_MS) * MINUTE_MS + MINUTE_MS - 1);
	});

	it('hdfs dfs -ls -R of a full URI: entries of another namenode are counted, not listed', async () => {
		const file = nodePath.join(work, 'hdfs-ls-uri.txt');
		writeFileSync(file, hdfsLsText(local, 'hdfs://ns1/flink/cp'));
		const store = await openListingStore({root: 'hdfs://ns1/flink/cp', listings: [file]});
		expectSame(await listed(store, 'hdfs://ns1/flink/cp'), local, MINUTE_MS, 'all');
		const other = await openListingStore({root: 'hdfs://nn2:8020/flink/cp', listings: [file]});
		expect((await listed(other, 'hdfs://nn2:8020/flink/cp')).size).toBe(0);
		expect(other.skips.otherAuthority.get('ns1')).toBe(local.length);
	});

	it('aws s3 ls --recursive (keys without bucket; directory markers are directories)', async () => {
		const file = nodePath.join(work, 's3-ls.txt');
		writeFileSync(file, s3LsText(local, 'flink/cp', true));
		expect(await detectListingFormat(file)).toBe('s3-ls');
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [file]});
		expectSame(await listed(store, 's3://bucket/flink/cp'), local, SECOND_MS, 'all');
	});

	it('aws s3api list-objects-v2 JSON (no markers: directories are implied by keys)', async () => {
		const file = nodePath.join(work, 's3api.json');
		writeFileSync(file, s3ApiJsonText(local, 'flink/cp'));
		expect(await detectListingFormat(file)).toBe('s3api-json');
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [file]});
		expectSame(await listed(store, 's3://bucket/flink/cp'), local, SECOND_MS, 'implied');
	});

	it('S3 Inventory (manifest + gzip CSV in two files; URL-encoded keys; the inventory date is the listing age)', async () => {
		const manifest = writeInventory(nodePath.join(work, 'inv'), local, 'bucket', 'flink/cp', {creationMs: Date.parse('2026-12-06T01:00:00Z')});
		expect(await detectListingFormat(manifest)).toBe('s3-inventory');
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [manifest]});
		expectSame(await listed(store, 's3://bucket/flink/cp'), local, SECOND_MS, 'implied');
		expect(store.takenAtMs).toBe(Date.parse('2026-12-06T01:00:00Z'));
		expect(store.asOfMs).toBe(Date.parse('2026-12-06T01:00:00Z'));
		expect(store.listings[0]).toMatchObject({format: 's3-inventory', takenAtMs: Date.parse('2026-12-06T01:00:00Z')});
	});

	it('S3 Inventory with all versions: only the latest version, and no key whose latest is a delete marker', async () => {
		const manifest = writeInventory(nodePath.join(work, 'inv-versions'), local, 'bucket', 'flink/cp', {
			allVersions: true,
			deletedKey: `flink/cp/${JOB}/shared/deleted.sst`,
		});
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [manifest]});
		const got = await listed(store, 's3://bucket/flink/cp');
		expect(got.has(`${JOB}/shared/deleted.sst`)).toBe(false);
		expectSame(got, local, SECOND_MS, 'implied');
	});

	it('S3 Inventory of another bucket lists nothing under this root, and says how many it left out', async () => {
		const manifest = writeInventory(nodePath.join(work, 'inv-other'), local, 'other-bucket', 'flink/cp');
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [manifest]});
		expect((await listed(store, 's3://bucket/flink/cp')).size).toBe(0);
		expect(store.skips.otherAuthority.get('other-bucket')).toBe(local.filter((e) => e.kind === 'file').length);
	});

	it('several listings make one tree; only entries below the listed path, direct children when not recursive', async () => {
		const a = nodePath.join(work, 'part-a.txt');
		const b = nodePath.join(work, 'part-b.txt');
		const files = local.filter((e) => e.kind === 'file');
		writeFileSync(a, s3LsText(files.slice(0, 2), 'flink/cp') + s3LsText([{rel: 'x', kind: 'file', size: 1, mtimeMs: 0}], 'elsewhere'));
		writeFileSync(b, s3LsText(files.slice(2), 'flink/cp'));
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [a, b]});
		expectSame(await listed(store, 's3://bucket/flink/cp'), local, SECOND_MS, 'implied');
		const children: string[] = [];
		for await (const batch of store.list(`s3://bucket/flink/cp/${JOB}`, {recursive: false})) children.push(...batch.map((e) => `${e.kind} ${e.path}`));
		expect(children.sort()).toEqual([`directory s3://bucket/flink/cp/${JOB}/chk-3`, `directory s3://bucket/flink/cp/${JOB}/shared`]);
		expect(await store.stat(`s3://bucket/flink/cp/${JOB}/chk-3/_metadata`)).toMatchObject({kind: 'file', size: 14});
		expect(await store.stat(`s3://bucket/flink/cp/${JOB}/chk-3`)).toMatchObject({kind: 'directory'});
		expect(await store.stat(`s3://bucket/flink/cp/${JOB}/nothing`)).toBeUndefined();
	});

	it('a listing of ten thousand objects streams in batches of at most a thousand', async () => {
		const file = nodePath.join(work, 'big.json');
		const many: LocalEntry[] = Array.from({length: 10_000}, (_, i) => ({
			rel: `${JOB}/shared/${String(i).padStart(5, '0')}.sst`,
			kind: 'file',
			size: i,
			mtimeMs: 1_700_000_000_000 + i * 1000,
		}));
		writeFileSync(file, s3ApiJsonText(many, 'flink/cp'));
		const store = await openListingStore({root: 's3://bucket/flink/cp', listings: [file]});
		let files = 0;
		let largest = 0;
		for await (const batch of store.list('s3://bucket/flink/cp')) {
			largest = Math.max(largest, batch.length);
			files += batch.filter((e) => e.kind === 'file').length;
		}
		expect(files).toBe(10_000);
		expect(largest).toBeLessThanOrEqual(1000);
	});
});

describe('--metadata-from: _metadata files read from a local copy', () => {
	it('reads a copied _metadata by its path below the root; a file not copied says what to do', async () => {
		const tree = makeTree();
		const meta = tempDir('fcx-listing-meta-');
		mkdirSync(nodePath.join(meta, JOB, 'chk-3'), {recursive: true});
		writeFileSync(nodePath.join(meta, JOB, 'chk-3', '_metadata'), 'metadata bytes');
		const file = nodePath.join(tempDir('fcx-listing-m-'), 'ls.txt');
		writeFileSync(file, hdfsLsText(walkLocal(tree), '/flink/cp'));
		const store = await openListingStore({root: 'hdfs://ns1/flink/cp', listings: [file], metadataFrom: meta});
		const path = `hdfs://ns1/flink/cp/${JOB}/chk-3/_metadata`;
		expect(Buffer.from(await store.read(path, {maxBytes: 100})).toString()).toBe('metadata bytes');
		expect(Buffer.from(await store.readRange(path, 9, 100)).toString()).toBe('bytes');
		await expect(store.read(path, {maxBytes: 3})).rejects.toMatchObject({code: 'too-large'});
		const missing = store.read(`hdfs://ns1/flink/cp/${JOB}/chk-3/exclusive-1`, {maxBytes: 100});
		await expect(missing).rejects.toBeInstanceOf(StoreError);
		await expect(missing).rejects.toThrow(/listed only .*--metadata-from/);
		const asStore: Store = store;
		expect(asStore.rename).toBeUndefined();
		expect(asStore.delete).toBeUndefined();
	});
});

describe('bad listings: one line naming the file and line', () => {
	const work = tempDir('fcx-listing-bad-');
	const write = (name: string, text: string | Buffer): string => {
		const file = nodePath.join(work, name);
		writeFileSync(file, text);
		return file;
	};
	const drain = async (file: string, root = 's3://b/p'): Promise<void> => {
		const store = await openListingStore({root, listings: [file]});
		for await (const _ of store.list(root)) void _;
	};

	it('a line that is not an entry, in the middle of an hdfs listing', async () => {
		const good = '-rw-r--r--   3 u g 5 2026-12-01 10:00 /p/a\n';
		const file = write('hdfs-bad.txt', good + good + 'garbage here\n');
		await expect(drain(file, 'hdfs://nn/p')).rejects.toThrow(`${file}:3: expected an 'hdfs dfs -ls -R' line`);
		await expect(drain(file, 'hdfs://nn/p')).rejects.toBeInstanceOf(ListingError);
	});

	it('sizes in K/M/G (hdfs dfs -ls -h) say to list without -h', async () => {
		const file = write('hdfs-h.txt', '-rw-r--r--   3 u g    1.2 K 2026-12-01 10:00 /p/a\n');
		await expect(drain(file, 'hdfs://nn/p')).rejects.toThrow(
			`${file}:1: expected an 'hdfs dfs -ls -R' line (permissions replication owner group size yyyy-MM-dd HH:mm path) (sizes in K/M/G: list without -h)`,
		);
	});

	it('an impossible date', async () => {
		const file = write('hdfs-date.txt', '-rw-r--r--   3 u g 5 2026-02-30 10:00 /p/a\n');
		await expect(drain(file, 'hdfs://nn/p')).rejects.toThrow(`${file}:1: expected a date and time`);
	});

	it('a relative path in an hdfs listing', async () => {
		const file = write('hdfs-rel.txt', '-rw-r--r--   3 u g 5 2026-12-01 10:00 p/a\n');
		await expect(drain(file, 'hdfs://nn/p')).rejects.toThrow(`${file}:1: expected an absolute path`);
	});

	it('aws s3 ls without --recursive', async () => {
		const file = write('s3-pre.txt', '2026-12-01 10:00:00          5 p/a\n                           PRE p/b/\n');
		await expect(drain(file)).rejects.toThrow(`${file}:2: a 'PRE' line: the listing was made without --recursive`);
	});

	it('unknown format, empty file, gzip data file, missing file', async () => {
		await expect(detectListingFormat(write('what.txt', '\nhello world\n'))).rejects.toThrow(/what\.txt:2: not a listing fcx reads/);
		await expect(detectListingFormat(write('empty.txt', ''))).rejects.toThrow(/empty\.txt: empty/);
		await expect(detectListingFormat(write('data.csv.gz', gzipSync('"b","k","1","2026-12-01T00:00:00.000Z"\n')))).rejects.toThrow(
			/a gzip file: for an S3 Inventory give its manifest\.json/,
		);
		await expect(detectListingFormat(nodePath.join(work, 'nope.txt'))).rejects.toThrow(/nope\.txt: no such file/);
	});

	it('JSON cut short, a Contents element without Size, a NextToken (listed with --max-items)', async () => {
		const cut = write('cut.json', '{\n  "Contents": [\n    {"Key": "p/a", "Size": 1, "LastModified": "2026-12-01T00:00:00+00:00"},\n');
		await expect(drain(cut)).rejects.toThrow(/cut\.json:4: the JSON ends before/);
		const noSize = write('nosize.json', '{"Contents": [\n{"Key": "p/a", "LastModified": "2026-12-01T00:00:00Z"}]}');
		await expect(drain(noSize)).rejects.toThrow(/nosize\.json:2: expected "Size" \(bytes\) for "p\/a"/);
		const token = write('token.json', '{"Contents": [{"Key": "p/a", "Size": 1, "LastModified": "2026-12-01T00:00:00Z"}], "NextToken": "abc"}');
		await expect(drain(token)).rejects.toThrow(/token\.json: the listing has a NextToken/);
	});

	it('an inventory in Parquet, and one whose data file is not there', async () => {
		const parquet = write(
			'manifest.json',
			JSON.stringify({sourceBucket: 'b', creationTimestamp: '1', fileFormat: 'Parquet', fileSchema: 'message s3.inventory { }', files: []}),
		);
		await expect(openListingStore({root: 's3://b/p', listings: [parquet]})).rejects.toThrow(/fileFormat is "Parquet": only CSV inventories are read/);
		mkdirSync(nodePath.join(work, 'inv'));
		const lost = nodePath.join(work, 'inv', 'manifest.json');
		writeFileSync(
			lost,
			JSON.stringify({
				sourceBucket: 'b',
				creationTimestamp: '1',
				fileFormat: 'CSV',
				fileSchema: 'Bucket, Key, Size, LastModifiedDate',
				files: [{key: 'x/data/f.csv.gz'}],
			}),
		);
		await expect(drain(lost)).rejects.toThrow(/the data file "x\/data\/f\.csv\.gz" it names is not at/);
	});
});
