/**
 * Which names below where the entropy key was are entropy prefixes: those of Flink's one length
 * (`s3.entropy.length`), the most common; a tie is Flink's default 4 if it is one, else not known.
 */
import {describe, expect, it} from 'vitest';
import {entropyLengthOf} from '../../source/store/entropy.js';

describe('entropyLengthOf', () => {
	it('the most common length: a backup old/ or fd/ beside the prefixes is not one of them', () => {
		expect(entropyLengthOf(['Ab3x', 'q9Zk', '7Tmw', 'old', 'fd'])).toBe(4);
		expect(entropyLengthOf(['Ab3x9Q', 'q9Zk1a', 'back'])).toBe(6);
	});

	it('a tie: Flink’s default 4 when it is one of the lengths, else not known', () => {
		expect(entropyLengthOf(['Ab3x', 'old'])).toBe(4);
		expect(entropyLengthOf(['Ab3x9Q', 'old'])).toBeUndefined();
		expect(entropyLengthOf([])).toBeUndefined();
	});
});
