/**
 * Found by the property test's random damage (`test/analysis/copies.property.test.ts`, a random
 * seed): a `_metadata` cut inside the name of an enum constant of its properties trailer and padded
 * with zeros to its old length (`FORWARD_BACKWARD` → `FORWARD_BACK\0\0\0\0`) parsed, and its
 * checkpoint was called complete. Flink's `ObjectInputStream` resolves enum constants by
 * `Enum.valueOf` and cannot read such a file, so neither does fcx: the snapshot is unreadable.
 */
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {readMetadata} from '../../source/metadata/index.js';
import {J1, metadataBytes, tree} from '../cleanup/helpers.js';

const cli = path.resolve(import.meta.dirname, '../../dist/fcx.js');
const REMOTE = 'hdfs://namenode:8020/flink/checkpoints';

/** A checkpoint's `_metadata` whose last 4 bytes (the end of `FORWARD_BACKWARD`) are zeros. */
function zeroedEnumTail(savepoint = false): Buffer {
	const good = Buffer.from(metadataBytes(1, [`${REMOTE}/${J1}/chk-1/x1`], {savepoint}));
	return Buffer.concat([good.subarray(0, good.length - 4), Buffer.alloc(4)]);
}

describe('an enum constant of the properties trailer that Flink does not have', () => {
	test('is refused by the reader, naming the field, the constants and what was found', () => {
		expect(() => readMetadata(zeroedEnumTail(), {fileName: 'chk-1/_metadata'})).toThrow(
			/^chk-1\/_metadata: at byte \d+: .*sharingFilesStrategy: expected one of FORWARD_BACKWARD, FORWARD, NO_SHARING .*found "FORWARD_BACK\\u0000\\u0000\\u0000\\u0000"/,
		);
	});

	test('every constant Flink writes still reads (checkpoint and savepoint trailers)', () => {
		expect(readMetadata(metadataBytes(1, []), {}).metadata.trailer?.properties?.checkpointType).toMatchObject({sharingFilesStrategy: 'FORWARD_BACKWARD'});
		expect(readMetadata(metadataBytes(1, [], {savepoint: true}), {}).metadata.trailer?.properties?.checkpointType).toMatchObject({kind: 'savepoint'});
	});

	test.skipIf(!existsSync(cli))('makes its checkpoint unreadable in the report, not complete (fcx report)', () => {
		const t = tree('fcx-attack-enum-');
		t.put(`${J1}/chk-1/_metadata`, zeroedEnumTail());
		t.file(`${J1}/chk-1/x1`);
		const run = spawnSync(process.execPath, [cli, 'report', '--json', t.dir], {encoding: 'utf8'});
		const json = JSON.parse(run.stdout) as {checkpoints: {status: string}[]; orphans: unknown[]};
		expect(json.checkpoints.map((c) => c.status)).toEqual(['unreadable']);
		expect(json.orphans).toEqual([]);
	});
});
