import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {analyse} from '../../source/analysis/index.js';
import {reclaimableBytes, reportJsonChunks, reportToJson} from '../../source/report/index.js';
import {comparePaths, naturalKey, sortByPath} from '../../source/text/index.js';
import {JOB_A, JOB_B, ROOT, sampleAnalysis} from './sample-analysis.js';

describe('reportToJson', () => {
	it('has every documented key', () => {
		const report = reportToJson(sampleAnalysis(), {version: '0.1.0', files: true});
		expect(Object.keys(report)).toEqual([
			'tool',
			'generatedAt',
			'roots',
			'mappings',
			'minAgeMs',
			'summary',
			'jobs',
			'checkpoints',
			'orphans',
			'missing',
			'damaged',
			'warnings',
			'lineage',
			'quarantines',
		]);
		expect(report.tool).toEqual({name: 'flink-checkpoint-explorer', version: '0.1.0'});
		expect(report.generatedAt).toBe('2026-11-01T16:00:00.000Z');
		expect(Object.keys(report.summary)).toEqual(
			expect.arrayContaining(['jobs', 'checkpoints', 'savepoints', 'orphans', 'orphanBytes', 'reclaimableBytes', 'missing', 'warnings']),
		);
		expect(Object.keys(report.jobs[0])).toEqual(
			expect.arrayContaining(['jobId', 'path', 'checkpoints', 'latestCheckpointId', 'bytesOnDisk', 'orphans', 'orphanBytes', 'missing', 'referencesJobs']),
		);
		const checkpoint = report.checkpoints[0];
		expect(Object.keys(checkpoint)).toEqual(
			expect.arrayContaining([
				'path',
				'metadataPath',
				'jobId',
				'kind',
				'checkpointId',
				'formatVersion',
				'status',
				'time',
				'properties',
				'sizes',
				'files',
				'dependencies',
			]),
		);
		expect(Object.keys(report.orphans[0])).toEqual(expect.arrayContaining(['path', 'type', 'reason', 'description', 'bytes', 'files', 'possiblyInProgress']));
		expect(Object.keys(report.missing[0])).toEqual(['path', 'uri', 'referencedBy']);
		// Without the option the per-file lists are left out; everything else is the same.
		const summary = reportToJson(sampleAnalysis(), {version: '0.1.0'});
		expect(summary.checkpoints.every((entry) => entry.files === undefined)).toBe(true);
		expect(JSON.stringify(summary)).toBe(JSON.stringify({...report, checkpoints: report.checkpoints.map(({files: _files, ...rest}) => rest)}));
		expect(report.warnings[0]).toEqual({code: 'unreadable-directory', path: `${ROOT}/checkpoints/${JOB_A}/chk-10`, message: 'something odd'});
	});

	it('summarises counts; in-progress entries are flagged and not reclaimable', () => {
		const report = reportToJson(sampleAnalysis());
		expect(report.tool.version).toBeUndefined();
		expect(report.summary).toMatchObject({
			jobs: 2,
			checkpoints: 4,
			savepoints: 1,
			orphans: 3,
			orphanBytes: 3700,
			// 1000 + 2000; the nested file (700) is inside the chk-8 orphan; chk-14 (500) is in progress.
			reclaimableBytes: 3000,
			possiblyInProgress: 1,
			possiblyInProgressBytes: 500,
			missing: 1,
			checkpointsWithMissingFiles: 1,
			warnings: 2,
		});
		const inProgress = report.orphans.filter((orphan) => orphan.possiblyInProgress);
		expect(inProgress.map((orphan) => orphan.path)).toEqual([`${ROOT}/checkpoints/${JOB_A}/chk-14`]);
	});

	it('orders everything by path, naturally and stably', () => {
		const analysis = sampleAnalysis();
		const report = reportToJson(analysis, {files: true});
		expect(report.checkpoints.map((checkpoint) => checkpoint.path.slice(ROOT.length))).toEqual([
			`/checkpoints/${JOB_A}/chk-9`,
			`/checkpoints/${JOB_A}/chk-10`,
			`/checkpoints/${JOB_A}/chk-13`,
			`/checkpoints/${JOB_B}/chk-11`,
			'/savepoints/savepoint-aaaaaa-0123456789ab',
		]);
		expect(report.jobs.map((job) => job.jobId)).toEqual([JOB_A, JOB_B, null]);
		expect(report.orphans.map((orphan) => orphan.path.slice(ROOT.length + JOB_A.length + 14))).toEqual([
			'chk-8',
			'chk-8/nested-file',
			'chk-14',
			'shared/unused-2',
		]);
		const b11 = report.checkpoints[3];
		const b11Files = b11.files ?? [];
		expect(b11Files.length).toBeGreaterThan(0);
		expect(b11Files.map((file) => file.path)).toEqual([...b11Files.map((file) => file.path)].sort((a, b) => comparePaths(a ?? '', b ?? '')));
		expect(b11.dependencies.map((dependency) => [dependency.jobId, dependency.crossJob])).toEqual([
			[JOB_A, true],
			[JOB_B, false],
		]);
		expect(b11Files.find((file) => file.exists === false)?.uri).toContain('sst-lost');

		// Shuffled input gives identical output.
		const shuffled = sampleAnalysis();
		shuffled.checkpoints.reverse();
		shuffled.orphans.reverse();
		shuffled.jobs.reverse();
		shuffled.warnings.reverse();
		for (const checkpoint of shuffled.checkpoints) {
			checkpoint.files.reverse();
			checkpoint.dependencies.reverse();
		}

		expect(JSON.stringify(reportToJson(shuffled, {files: true}))).toBe(JSON.stringify(report));
	});

	it('summarises properties and unreadable checkpoints', () => {
		const report = reportToJson(sampleAnalysis());
		const savepoint = report.checkpoints.find((checkpoint) => checkpoint.kind === 'savepoint');
		expect(savepoint?.properties).toMatchObject({
			snapshot: 'savepoint',
			type: 'Savepoint',
			formatType: 'NATIVE',
			postCheckpointAction: 'NONE',
			unclaimed: null,
		});
		const checkpoint = report.checkpoints[0];
		expect(checkpoint.properties).toMatchObject({snapshot: 'checkpoint', type: 'Checkpoint', sharingFilesStrategy: 'FORWARD_BACKWARD', unclaimed: false});
		expect(checkpoint.time).toBe('2026-11-01T10:09:00.000Z');
		const broken = report.checkpoints.find((entry) => entry.status === 'unreadable');
		expect(broken?.error).toContain('expected a version');
		expect(broken?.properties).toBeNull();
	});

	it('is JSON-safe even with bigint sizes in the analysis', () => {
		const analysis = sampleAnalysis();
		// A reader bug or a future model change must not make JSON.stringify throw.
		(analysis.checkpoints[0].files[0] as {size: unknown}).size = 2n ** 70n;
		const text = JSON.stringify(reportToJson(analysis, {files: true}));
		expect(() => JSON.parse(text) as unknown).not.toThrow();
		expect(text).not.toContain('"referencedBy":{}');
	});

	it('reclaimableBytes counts nested orphans once', () => {
		const analysis = sampleAnalysis();
		expect(reclaimableBytes(analysis.orphans)).toBe(3000);
	});
});

describe('comparePaths', () => {
	it('orders digit runs numerically and is total', () => {
		const paths = ['chk-10', 'chk-9', 'chk-100', 'chk-09', 'b', 'a/b', 'a', 'chk-9/x'];
		expect([...paths].sort(comparePaths)).toEqual(['a', 'a/b', 'b', 'chk-09', 'chk-9', 'chk-9/x', 'chk-10', 'chk-100']);
		expect(comparePaths('x', 'x')).toBe(0);
	});

	it('orders job ids, savepoint directories and UUIDs as text: their digits touch letters', () => {
		const jobs = [
			'7f4b62aadf4ba0699e8cf87da990ad39',
			'4eea3f05f2ac48471236081b12194c3d',
			'53dd8ada5a03199e0ae2316343536fb0',
			'218d5a595df97a650404b24ba8f479d0',
			'a556f636d9894faa88a98fc27718d5ef',
		];
		expect([...jobs].sort(comparePaths)).toEqual([...jobs].sort());
		const savepoints = ['/s/savepoint-3f2a1b-9a0b1c2d3e4f', '/s/savepoint-3f2a1b-10ab1c2d3e4f', '/s/savepoint-3f2a1b-0a0b1c2d3e4f'];
		expect([...savepoints].sort(comparePaths)).toEqual([...savepoints].sort());
		expect(['/j/shared/part-10.sst', '/j/shared/part-9.sst', '/j/shared/000012.sst', '/j/shared/11.sst'].sort(comparePaths)).toEqual([
			'/j/shared/11.sst',
			'/j/shared/000012.sst',
			'/j/shared/part-9.sst',
			'/j/shared/part-10.sst',
		]);
		expect(['x10', 'x9'].sort(comparePaths)).toEqual(['x10', 'x9']);
	});
});

describe('naturalKey / sortByPath', () => {
	it('orders like comparePaths, ties broken by the path', () => {
		const alphabet = ['0', '0', '1', '9', '2', 'a', 'b', '-', '/', '.', '~', '!', 'é', '😀', 'Z', ' ', '\u0001'];
		let seed = 12_345;
		const random = (n: number): number => {
			seed = (seed * 1_103_515_245 + 12_345) & 0x7f_ff_ff_ff;
			return seed % n;
		};

		const generate = (): string => Array.from({length: random(9)}, () => alphabet[random(alphabet.length)]).join('');
		for (let i = 0; i < 20_000; i++) {
			const a = generate();
			const b = generate();
			const ka = naturalKey(a);
			const kb = naturalKey(b);
			const byKey = ka === kb ? (a < b ? -1 : a > b ? 1 : 0) : ka < kb ? -1 : 1;
			expect(byKey, JSON.stringify([a, b])).toBe(Math.sign(comparePaths(a, b)));
		}

		const items = Array.from({length: 3000}, generate);
		expect(sortByPath(items, (item) => item)).toEqual([...items].sort(comparePaths));
		expect(sortByPath(['b\u0000', 'a\u0000', 'chk-10', 'chk-9'], (item) => item)).toEqual(['a\u0000', 'b\u0000', 'chk-9', 'chk-10']);
	});
});

describe('naturalKey', () => {
	/**
	 * The key by its definition: the text lower-cased, each digit run that no ASCII letter touches
	 * (a number) and shorter than 16 digits zero-padded to 16.
	 */
	const definition = (path: string): string =>
		path.toLowerCase().replace(/(?<![A-Za-z\d])\d+(?![A-Za-z\d])/g, (run) => (run.length < 16 ? run.padStart(16, '0') : run));

	it('is the key its definition gives, for ASCII paths, long digit runs and other text', () => {
		const part = fc.oneof(
			fc.constantFrom('/', '-', '.sst', 'chk-', 'shared', 'a', 'Z', '~', ' ', '\u0001', 'é', 'É', '😀', '\u0000'),
			fc.stringMatching(/^\d{1,6}$/),
			fc.integer({min: 14, max: 300}).map((n) => `${'0'.repeat(n % 3)}${'7'.repeat(n)}`),
			fc.uuid(),
		);
		fc.assert(
			fc.property(fc.array(part, {maxLength: 12}), (parts) => {
				const path = parts.join('');
				expect(naturalKey(path)).toBe(definition(path));
			}),
			{numRuns: 2000},
		);
		expect(naturalKey('x'.repeat(5000) + '-12')).toBe(definition('x'.repeat(5000) + '-12'));
		expect(naturalKey('')).toBe('');
	});

	it('orders letters case-insensitively, ties by code units: one order for the report and the explorer (issue 22)', () => {
		expect(['b', 'Savepoint-2', 'savepoint-10', 'A', 'a'].sort(comparePaths)).toEqual(['A', 'a', 'b', 'Savepoint-2', 'savepoint-10']);
	});
});

describe('reportJsonChunks', () => {
	it('streams exactly JSON.stringify(reportToJson(…), null, 2) plus a newline', () => {
		const analysis = sampleAnalysis();
		expect([...reportJsonChunks(analysis, {version: '0.1.0'})].join('')).toBe(`${JSON.stringify(reportToJson(analysis, {version: '0.1.0'}), null, 2)}\n`);
		expect([...reportJsonChunks(analysis, {files: true})].join('')).toBe(`${JSON.stringify(reportToJson(analysis, {files: true}), null, 2)}\n`);
		const file = analysis.checkpoints[0].files[0];
		file.uri = `odd "quoted" \\ back\nslash \u0001 \ud800 lone, é and 😀 ${file.uri}`;
		expect([...reportJsonChunks(analysis, {files: true})].join('')).toBe(`${JSON.stringify(reportToJson(analysis, {files: true}), null, 2)}\n`);
		const empty = {...analysis, checkpoints: [], jobs: [], orphans: [], missing: [], warnings: []};
		expect([...reportJsonChunks(empty)].join('')).toBe(`${JSON.stringify(reportToJson(empty), null, 2)}\n`);
	});

	it('streams the same document as JSON.stringify on the sample tree', async () => {
		const tree = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sample-tree');
		const analysis = await analyse([tree], {nowMs: Date.parse('2026-11-01T16:00:00.000Z')});
		expect(analysis.checkpoints.length).toBeGreaterThan(5);
		expect([...reportJsonChunks(analysis, {version: '1.2.3'})].join('')).toBe(`${JSON.stringify(reportToJson(analysis, {version: '1.2.3'}), null, 2)}\n`);
		expect([...reportJsonChunks(analysis, {files: true})].join('')).toBe(`${JSON.stringify(reportToJson(analysis, {files: true}), null, 2)}\n`);
	});
});
