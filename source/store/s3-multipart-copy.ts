/**
 * The multipart copy of an S3 object over 5 GiB (one CopyObject copies at most that): the parts
 * are UploadPartCopy byte ranges, completed together or aborted together, so a failed copy leaves
 * no billed parts and the caller keeps the original.
 */
import {StoreError} from './types.js';

/** The largest object one CopyObject copies, bytes (5 GiB); larger ones are copied in parts (UploadPartCopy). */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;
/** The bytes of each part of a multipart copy (more for an object over 10,000 of them). */
export const COPY_PART_BYTES = 1024 ** 3;

/** Sends one SDK command on behalf of `path` (retries and error mapping are the store's). */
export type SendCommand = <T>(path: string, command: unknown) => Promise<T>;

/** A copy to make: `to` in `bucket`/`key`, `copySource` CopyObject's `bucket/encoded-key`, `size` the object's bytes. */
export interface PartCopy {
	from: string;
	to: string;
	bucket: string;
	key: string;
	copySource: string;
	size: number;
}

/**
 * Copy an object over 5 GiB: CreateMultipartUpload, UploadPartCopy of byte ranges of
 * {@link COPY_PART_BYTES} (at most 10,000 parts, none over 5 GiB), one after the other, then
 * CompleteMultipartUpload. On any failure the upload is aborted (AbortMultipartUpload) and the
 * error is thrown: nothing was copied.
 * @throws StoreError when the store gives no upload id, or what a part's request threw
 */
export async function copyMultipart(send: SendCommand, sdk: typeof import('@aws-sdk/client-s3'), copy: PartCopy): Promise<void> {
	const {CreateMultipartUploadCommand, UploadPartCopyCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand} = sdk;
	const {from, to, bucket, key, copySource, size} = copy;
	const partBytes = Math.min(MAX_COPY_BYTES, Math.max(COPY_PART_BYTES, Math.ceil(size / 10_000)));
	const created = await send<{UploadId?: string}>(to, new CreateMultipartUploadCommand({Bucket: bucket, Key: key}));
	const uploadId = created.UploadId;
	if (uploadId === undefined) throw new StoreError('other', to, `${to}: CreateMultipartUpload gave no upload id`);
	try {
		const parts: {ETag?: string; PartNumber: number}[] = [];
		for (let start = 0, n = 1; start < size; start += partBytes, n++) {
			const end = Math.min(size, start + partBytes) - 1;
			const range = `bytes=${start}-${end}`;
			const part = await send<{CopyPartResult?: {ETag?: string}}>(
				from,
				new UploadPartCopyCommand({Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: n, CopySource: copySource, CopySourceRange: range}),
			);
			parts.push({ETag: part.CopyPartResult?.ETag, PartNumber: n});
		}
		await send(to, new CompleteMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: {Parts: parts}}));
	} catch (error) {
		await send(to, new AbortMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: uploadId})).catch(() => undefined);
		throw error;
	}
}
