import {describe, expect, it} from 'vitest';
import {parseDuration, parseMappings, UsageError} from '../../source/cli/args.js';

describe('parseDuration', () => {
	it('reads units, combinations and bare milliseconds', () => {
		expect(parseDuration('1h')).toBe(3_600_000);
		expect(parseDuration('30m')).toBe(1_800_000);
		expect(parseDuration('1h30m')).toBe(5_400_000);
		expect(parseDuration('2d')).toBe(172_800_000);
		expect(parseDuration('0')).toBe(0);
		expect(parseDuration('250ms')).toBe(250);
	});

	it('rejects what it cannot read', () => {
		for (const bad of ['', 'h', '1x', 'abc', '1h x']) expect(() => parseDuration(bad)).toThrow(UsageError);
	});
});

describe('parseMappings', () => {
	it('splits at the last = and resolves the local side', () => {
		expect(parseMappings(['hdfs://nn:8020/a=b=./local'], (p) => `/abs/${p}`)).toEqual([{remote: 'hdfs://nn:8020/a=b', local: '/abs/./local'}]);
	});

	it('rejects values without both sides', () => {
		expect(() => parseMappings(['hdfs://x'], (p) => p)).toThrow(UsageError);
		expect(() => parseMappings(['=local'], (p) => p)).toThrow(UsageError);
		expect(() => parseMappings(['remote='], (p) => p)).toThrow(UsageError);
	});
});
