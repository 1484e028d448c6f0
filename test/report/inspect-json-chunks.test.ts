import {readFile} from 'node:fs/promises';
import {describe, expect, it} from 'vitest';
import {readMetadata, writeMetadata} from '../../source/metadata/index.js';
import type {ReadResult} from '../../source/metadata/types.js';
import {inspectJsonEnd, inspectJsonFileChunks, inspectJsonObjectChunk, inspectToJson} from '../../source/report/index.js';
import {bigMetadataModel} from '../bench/generate.js';
import {v7Model} from '../metadata/models.js';
import {corpusExists, findCorpus, reportSkippedCorpus} from '../support/corpus.js';

reportSkippedCorpus('inspect-json-chunks', 'streamed inspect --json of real files');

/** The streamed text of `fcx inspect --json` for these elements. */
function streamed(elements: ({path: string; result: ReadResult} | {[key: string]: unknown})[]): {text: string; chunks: number} {
	let text = '';
	let chunks = 0;
	elements.forEach((element, index) => {
		const parts =
			'result' in element
				? [...inspectJsonFileChunks(index, element.path as string, element.result as ReadResult)].map((bytes) => Buffer.from(bytes).toString('utf8'))
				: [inspectJsonObjectChunk(index, element)];
		chunks += parts.length;
		text += parts.join('');
	});
	return {text: text + inspectJsonEnd(elements.length), chunks};
}

/** What `fcx inspect --json` wrote before it streamed: the whole array at once. */
function whole(elements: ({path: string; result: ReadResult} | {[key: string]: unknown})[]): string {
	const json = elements.map((element) => ('result' in element ? inspectToJson(element.path as string, element.result as ReadResult) : element));
	return `${JSON.stringify(json, null, 2)}\n`;
}

describe('inspect --json in chunks', () => {
	it('is the text of the whole array, for no file, a failure and files', () => {
		const v7 = {path: '/v7/_metadata', result: readMetadata(writeMetadata(v7Model()))};
		const failure = {path: '/bad/_metadata', error: 'truncated', approximate: {notAuthoritative: true, strings: [{offset: 4, text: 'hdfs:///x'}]}};
		for (const elements of [[], [failure], [v7], [v7, failure, v7]]) expect(streamed(elements).text).toBe(whole(elements));
	});

	it('splits a big file into chunks of about a megabyte, the same text', () => {
		const big = {path: '/big/_metadata', result: readMetadata(writeMetadata(bigMetadataModel(16, 400)))};
		const {text, chunks} = streamed([big]);
		expect(chunks).toBeGreaterThan(2);
		expect(text).toBe(whole([big]));
	});

	it.runIf(corpusExists)('is the text of the whole array for every real file of the corpus', async () => {
		const elements = [];
		for (const file of await findCorpus()) {
			try {
				elements.push({path: file, result: readMetadata(new Uint8Array(await readFile(file)))});
			} catch {
				// Files the reader refuses are the failure objects' business (tested above).
			}
		}
		expect(elements.length).toBeGreaterThan(10);
		expect(streamed(elements).text).toBe(whole(elements));
	});
});
