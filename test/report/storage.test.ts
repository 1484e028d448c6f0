import {join} from 'node:path';
import {describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {analyse} from '../../source/analysis/index.js';
import {executePlan, makePlan} from '../../source/cleanup/index.js';
import {reportJsonChunks, reportToJson, reportToText} from '../../source/report/index.js';
import {tempDir} from '../support/temp.js';

const NOW = Date.parse('2026-11-02T00:00:00.000Z');
const DAY = 86_400_000;

/** The sample tree after `fcx clean` quarantined its orphans, analysed two days later. */
async function cleanedSample() {
	const dir = tempDir('fcx-report-storage-');
	await generateSampleTree(dir);
	const result = await executePlan(makePlan(await analyse([dir], {nowMs: NOW}), {nowMs: NOW}), {nowMs: NOW});
	return {dir, result, analysis: await analyse([dir], {nowMs: NOW + 2 * DAY})};
}

describe('the why of storage in the report', () => {
	test('text: each job says what only it holds, who else needs it, and its directory part by part with bars and percentages', async () => {
		const {analysis} = await cleanedSample();
		const text = reportToText(analysis);
		const jobA = text.slice(text.indexOf(`JOB ${JOBS.A}`));
		expect(jobA).toMatch(/storage: [\d.]+ kB in the job directory, +[\d.]+% of the tree; [\d.]+ kB only this job holds, 426 B still needed by 1 other job/);
		expect(jobA).toContain(`    needed by job ${JOBS.B}: 6 files, 426 B`);
		expect(jobA).toMatch(/ {4}\[#+ *\] +\d+\.\d% +[\d.]+ kB +chk-<n> \(exclusive state, _metadata\), 15 files/);
		expect(jobA).toMatch(/ {4}\[#+ *\] +\d+\.\d% +568 B +shared\/ referenced or kept, 8 files/);
	});

	test('JSON: jobs carry their storage (every part), the summary the quarantined bytes', async () => {
		const {dir, analysis} = await cleanedSample();
		const report = reportToJson(analysis);
		const jobA = report.jobs.find((j) => j.jobId === JOBS.A)!;
		expect(jobA.storage!.parts.map((p) => p.part)).toEqual(['checkpoints', 'shared-referenced', 'shared-orphaned', 'taskowned', 'other']);
		expect(jobA.storage!.bytes).toBe(jobA.bytesOnDisk);
		expect(jobA.storage!.parts.reduce((n, p) => n + p.bytes, 0)).toBe(jobA.storage!.bytes);
		expect(jobA.storage).toMatchObject({neededByOthersBytes: 426, neededBy: [{path: join(dir, 'checkpoints', JOBS.B), jobId: JOBS.B, files: 6, bytes: 426}]});
		expect(jobA.storage!.onlyThisJobBytes).toBe(jobA.storage!.bytes - 426);
		expect(report.jobs.filter((j) => j.jobId === null).every((j) => j.storage === undefined)).toBe(true);
		expect(report.summary.quarantinedBytes).toBe(report.quarantines[0].bytes);
		// The streamed text is the same object.
		expect(JSON.parse([...reportJsonChunks(analysis)].join(''))).toEqual(JSON.parse(JSON.stringify(report)));
	});

	test('text and JSON: the quarantine, its size, age and the commands that restore or empty it', async () => {
		const {dir, result, analysis} = await cleanedSample();
		const quarantine = join(dir, '.fcx-quarantine');
		const run = result.quarantineDir!;
		const text = reportToText(analysis);
		expect(text).toMatch(/ {2}Quarantined: +[\d.]+ kB \([\d,]+ bytes\) in 1 quarantine \(1 clean run\): held until emptied, not freed/);
		expect(text).toContain(`QUARANTINES (1)\n  ${quarantine}  `);
		expect(text).toMatch(new RegExp(`run ${run.slice(quarantine.length + 1)}: [\\d.]+ k?B in \\d+ files, 2d old`));
		expect(text).toContain(`      restore: ${result.restoreCommand}`);
		expect(text).toContain(`      empty:   rm -rf -- '${run}' '${run}.log' '${run}.restore.sh'`);
		const [q] = reportToJson(analysis).quarantines;
		expect(q).toMatchObject({path: quarantine, newest: '2026-11-02T00:00:00.000Z', oldest: '2026-11-02T00:00:00.000Z'});
		expect(q.runs[0]).toMatchObject({
			path: run,
			time: '2026-11-02T00:00:00.000Z',
			restoreScript: `${run}.restore.sh`,
			commands: {restore: result.restoreCommand},
		});
	});

	test('a tree without a quarantine has no QUARANTINES section and 0 quarantined bytes', async () => {
		const dir = tempDir('fcx-report-noq-');
		await generateSampleTree(dir);
		const analysis = await analyse([dir], {nowMs: NOW});
		expect(reportToText(analysis)).not.toContain('QUARANTINES');
		expect(reportToJson(analysis)).toMatchObject({summary: {quarantinedBytes: 0}, quarantines: []});
	});
});
