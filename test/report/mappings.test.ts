import {describe, expect, it} from 'vitest';
import {reportToText} from '../../source/report/index.js';
import {ROOT, sampleAnalysis} from './sample-analysis.js';

/** 120 job directories, each with the mapping the layout inference makes for it. */
function manyJobs(): ReturnType<typeof sampleAnalysis> {
	const analysis = sampleAnalysis();
	const jobs = Array.from({length: 120}, (_, i) => i.toString(16).padStart(32, '0'));
	analysis.mappings = [
		{remote: 'hdfs://nn:8020/elsewhere', local: '/mnt/elsewhere', inferred: false},
		...jobs.map((job) => ({remote: `hdfs://nn:8020/flink/checkpoints/${job}`, local: `${ROOT}/checkpoints/${job}`, inferred: true})),
		{remote: 's3://bucket/savepoints/savepoint-3f9a1c-5e0b7d2a9c41', local: `${ROOT}/savepoints/savepoint-3f9a1c-5e0b7d2a9c41`, inferred: true},
	];
	return analysis;
}

describe('the mappings of the text report', () => {
	it('come after the summary, one line per remote base directory with "and N more"', () => {
		const lines = reportToText(manyJobs()).split('\n');
		expect(lines.indexOf('SUMMARY')).toBeLessThan(6);
		const mappings = lines.filter((line) => line.startsWith('Mapping:'));
		expect(mappings).toEqual([
			'Mapping:  hdfs://nn:8020/elsewhere → /mnt/elsewhere',
			`Mapping:  hdfs://nn:8020/flink/checkpoints/* → ${ROOT}/checkpoints/* (inferred; 120 directories: ${'0'.repeat(32)}, ${'0'.repeat(31)}1 and 118 more)`,
			`Mapping:  s3://bucket/savepoints/savepoint-3f9a1c-5e0b7d2a9c41 → ${ROOT}/savepoints/savepoint-3f9a1c-5e0b7d2a9c41 (inferred)`,
		]);
		expect(lines.indexOf(mappings[0])).toBeGreaterThan(lines.findIndex((line) => line.startsWith('  Warnings:')));
	});

	it('keep a mapping whose local name differs from the remote one on its own line', () => {
		const analysis = sampleAnalysis();
		analysis.mappings = [
			{remote: 'hdfs://nn:8020/flink/checkpoints', local: '/mnt/copy', inferred: false},
			{remote: 'hdfs://nn:8020/flink/a', local: '/mnt/a', inferred: false},
			{remote: 'hdfs://nn:8020/flink/b', local: '/mnt/b', inferred: false},
		];
		const mappings = reportToText(analysis)
			.split('\n')
			.filter((line) => line.startsWith('Mapping:'));
		expect(mappings).toEqual(['Mapping:  hdfs://nn:8020/flink/checkpoints → /mnt/copy', 'Mapping:  hdfs://nn:8020/flink/* → /mnt/* (2 directories: a, b)']);
	});
});
