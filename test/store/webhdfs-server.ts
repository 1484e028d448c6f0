/**
 * A WebHDFS test server (there is no way to run HDFS here): the namenode and datanode REST API of
 * the Hadoop WebHDFS documentation (hadoop-hdfs/src/site/markdown/WebHDFS.md) over a local
 * directory, on 127.0.0.1 on a free port. Implemented: GETFILESTATUS, LISTSTATUS,
 * LISTSTATUS_BATCH (`startAfter`, `remainingEntries`, batches of `batchSize` as `dfs.ls.limit`),
 * OPEN (307 to a "datanode" path on the same server, `offset`/`length`), MKDIRS, RENAME and DELETE
 * (`{"boolean": …}`, HDFS semantics: a rename onto an existing directory moves into it, a rename
 * whose destination's parent is missing is `false`), errors as `{"RemoteException": {exception,
 * javaClassName, message}}` with the documented status codes, `user.name=` and `delegation=`, and
 * a Kerberos-only mode answering 401 with `WWW-Authenticate: Negotiate`. Every request is recorded;
 * tests can make a request answer `{"boolean": false}` or AccessControlException (`intercept`).
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {mkdir, open, readdir, rename, rm, rmdir, stat, unlink} from 'node:fs/promises';
import type {Stats} from 'node:fs';
import * as nodePath from 'node:path';

/** Options of {@link startWebHdfsServer}. */
export interface WebHdfsServerOptions {
	/** The local directory served as the HDFS root `/`. */
	dir: string;
	/** Entries per LISTSTATUS_BATCH response (the namenode's `dfs.ls.limit`; default 1000). */
	batchSize?: number;
	/** Requests must name this user (`user.name=`) or carry {@link delegation}; others get 401. */
	user?: string;
	/** A delegation token the server accepts (`delegation=`). */
	delegation?: string;
	/** Security on with Kerberos only: every request without the delegation token gets 401 `WWW-Authenticate: Negotiate`. */
	kerberos?: boolean;
	/** Answer LISTSTATUS_BATCH as an old namenode (before Hadoop 2.8) does: 400, unknown op. */
	noBatch?: boolean;
	/** Answer as a standby namenode: 403 StandbyException to everything. */
	standby?: boolean;
	/**
	 * Called before each namenode request is handled (after it is recorded): `false` answers a
	 * RENAME, DELETE or MKDIRS with `{"boolean": false}` and does nothing (as a namenode does for a
	 * rename it declines); `deny` answers 403 AccessControlException, as HDFS permissions do.
	 */
	intercept?: (request: RecordedRequest) => 'false' | 'deny' | undefined;
}

/** One request the server answered. */
export interface RecordedRequest {
	method: string;
	op: string;
	path: string;
	/** `namenode` or `datanode`. */
	node: string;
	params: Record<string, string>;
}

/** A running server: its base URL (`http://127.0.0.1:PORT`), the requests made, and how to stop it. */
export interface WebHdfsServer {
	url: string;
	port: number;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

const EXCEPTIONS: Record<string, {status: number; javaClassName: string}> = {
	IllegalArgumentException: {status: 400, javaClassName: 'java.lang.IllegalArgumentException'},
	SecurityException: {status: 401, javaClassName: 'java.lang.SecurityException'},
	AccessControlException: {status: 403, javaClassName: 'org.apache.hadoop.security.AccessControlException'},
	PathIsNotEmptyDirectoryException: {status: 403, javaClassName: 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException'},
	IOException: {status: 403, javaClassName: 'java.io.IOException'},
	StandbyException: {status: 403, javaClassName: 'org.apache.hadoop.ipc.StandbyException'},
	FileNotFoundException: {status: 404, javaClassName: 'java.io.FileNotFoundException'},
};

class RemoteError extends Error {
	constructor(
		readonly exception: keyof typeof EXCEPTIONS,
		message: string,
	) {
		super(message);
	}
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers});
	res.end(text);
}

function fileStatus(st: Stats, suffix: string): Record<string, unknown> {
	const dir = st.isDirectory();
	return {
		accessTime: dir ? 0 : Math.trunc(st.atimeMs),
		blockSize: dir ? 0 : 134217728,
		childrenNum: 0,
		fileId: st.ino,
		group: 'supergroup',
		length: dir ? 0 : st.size,
		modificationTime: Math.trunc(st.mtimeMs),
		owner: 'flink',
		pathSuffix: suffix,
		permission: dir ? '755' : '644',
		replication: dir ? 0 : 3,
		storagePolicy: 0,
		type: dir ? 'DIRECTORY' : 'FILE',
	};
}

/** Start the server on 127.0.0.1 on a free port. */
export async function startWebHdfsServer(options: WebHdfsServerOptions): Promise<WebHdfsServer> {
	const requests: RecordedRequest[] = [];
	const batchSize = options.batchSize ?? 1000;
	let base = '';
	const local = (hdfsPath: string): string => {
		const parts = hdfsPath.split('/').filter((p) => p !== '');
		if (parts.some((p) => p === '..' || p === '.')) throw new RemoteError('IllegalArgumentException', `Invalid path name ${hdfsPath}`);
		return nodePath.join(options.dir, ...parts);
	};
	const statOf = async (hdfsPath: string): Promise<Stats> => {
		const st = await stat(local(hdfsPath)).catch(() => undefined);
		if (st === undefined) throw new RemoteError('FileNotFoundException', `File does not exist: ${hdfsPath}`);
		return st;
	};
	const children = async (hdfsPath: string): Promise<{name: string; st: Stats}[]> => {
		const dir = local(hdfsPath);
		// HDFS lists a directory in the byte order of the names.
		const names = (await readdir(dir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
		const out: {name: string; st: Stats}[] = [];
		for (const name of names) {
			const st = await stat(nodePath.join(dir, name)).catch(() => undefined);
			if (st !== undefined && (st.isFile() || st.isDirectory())) out.push({name, st});
		}
		return out;
	};

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const url = new URL(req.url ?? '/', base);
		const params = Object.fromEntries(url.searchParams);
		const datanode = url.pathname.startsWith('/datanode/webhdfs/v1');
		const prefix = datanode ? '/datanode/webhdfs/v1' : '/webhdfs/v1';
		if (!url.pathname.startsWith(prefix)) return sendJson(res, 404, {error: 'not a WebHDFS path'});
		const path = decodeURIComponent(url.pathname.slice(prefix.length)) || '/';
		const op = (params.op ?? '').toUpperCase();
		requests.push({method: req.method ?? '', op, path, node: datanode ? 'datanode' : 'namenode', params});
		const token = params.delegation;
		if (options.kerberos === true && token !== options.delegation) {
			res.writeHead(401, {'WWW-Authenticate': 'Negotiate', 'Content-Type': 'text/html', 'Content-Length': 0});
			return void res.end();
		}
		if (options.user !== undefined && params['user.name'] !== options.user && (token === undefined || token !== options.delegation)) {
			throw new RemoteError(
				'SecurityException',
				`Failed to obtain user group information: java.io.IOException: Security enabled but user not authenticated by filter`,
			);
		}
		if (options.standby === true) {
			throw new RemoteError('StandbyException', 'Operation category READ is not supported in state standby. Visit https://s.apache.org/sbnn-error');
		}
		if (datanode) return openOnDatanode(res, path, params);
		const intercepted = options.intercept?.(requests[requests.length - 1]);
		if (intercepted === 'false' && (op === 'RENAME' || op === 'DELETE' || op === 'MKDIRS')) return sendJson(res, 200, {boolean: false});
		if (intercepted === 'deny') {
			throw new RemoteError('AccessControlException', `Permission denied: user=flink, access=WRITE, inode="${path}":hdfs:supergroup:drwxr-xr-x`);
		}
		switch (`${req.method} ${op}`) {
			case 'GET GETFILESTATUS':
				return sendJson(res, 200, {FileStatus: fileStatus(await statOf(path), '')});
			case 'GET LISTSTATUS': {
				const st = await statOf(path);
				const list = st.isDirectory() ? (await children(path)).map((c) => fileStatus(c.st, c.name)) : [fileStatus(st, '')];
				return sendJson(res, 200, {FileStatuses: {FileStatus: list}});
			}
			case 'GET LISTSTATUS_BATCH': {
				if (options.noBatch === true) {
					throw new RemoteError(
						'IllegalArgumentException',
						'Invalid value for webhdfs parameter "op": No enum constant org.apache.hadoop.hdfs.web.resources.GetOpParam.Op.LISTSTATUS_BATCH',
					);
				}
				const st = await statOf(path);
				if (!st.isDirectory()) {
					return sendJson(res, 200, {DirectoryListing: {partialListing: {FileStatuses: {FileStatus: [fileStatus(st, '')]}}, remainingEntries: 0}});
				}
				const all = await children(path);
				const after = params.startAfter;
				const from = after === undefined ? 0 : all.findIndex((c) => Buffer.compare(Buffer.from(c.name), Buffer.from(after)) > 0);
				const start = from < 0 ? all.length : from;
				const batch = all.slice(start, start + batchSize);
				return sendJson(res, 200, {
					DirectoryListing: {
						partialListing: {FileStatuses: {FileStatus: batch.map((c) => fileStatus(c.st, c.name))}},
						remainingEntries: all.length - start - batch.length,
					},
				});
			}
			case 'GET OPEN': {
				const st = await statOf(path);
				if (st.isDirectory()) throw new RemoteError('FileNotFoundException', `Path is not a file: ${path}`);
				const location = new URL(`/datanode/webhdfs/v1${url.pathname.slice(prefix.length)}`, base);
				for (const [k, v] of Object.entries(params)) location.searchParams.set(k, v);
				location.searchParams.set('namenoderpcaddress', 'namenode:8020');
				res.writeHead(307, {Location: location.toString(), 'Content-Length': 0});
				return void res.end();
			}
			case 'PUT MKDIRS':
				await mkdir(local(path), {recursive: true});
				return sendJson(res, 200, {boolean: true});
			case 'PUT RENAME':
				return sendJson(res, 200, {boolean: await renameHdfs(path, params.destination)});
			case 'DELETE DELETE':
				return sendJson(res, 200, {boolean: await deleteHdfs(path, params.recursive === 'true')});
			default:
				throw new RemoteError('IllegalArgumentException', `Invalid value for webhdfs parameter "op": No enum constant ${op}`);
		}
	};

	/** HDFS rename: `false` when the source is missing, the destination's parent is missing or it is an existing file; into an existing directory. */
	const renameHdfs = async (from: string, to: string | undefined): Promise<boolean> => {
		if (to === undefined || !to.startsWith('/')) throw new RemoteError('IllegalArgumentException', `Invalid value for webhdfs parameter "destination": ${to}`);
		if ((await stat(local(from)).catch(() => undefined)) === undefined) return false;
		let target = local(to);
		const existing = await stat(target).catch(() => undefined);
		if (existing?.isDirectory() === true) target = nodePath.join(target, nodePath.basename(local(from)));
		else if (existing !== undefined) return false;
		if ((await stat(nodePath.dirname(target)).catch(() => undefined))?.isDirectory() !== true) return false;
		if ((await stat(target).catch(() => undefined)) !== undefined) return false;
		await rename(local(from), target);
		return true;
	};

	const deleteHdfs = async (path: string, recursive: boolean): Promise<boolean> => {
		const st = await stat(local(path)).catch(() => undefined);
		if (st === undefined) return false;
		if (!st.isDirectory()) {
			await unlink(local(path));
		} else if (recursive) {
			await rm(local(path), {recursive: true});
		} else {
			if ((await readdir(local(path))).length > 0) throw new RemoteError('PathIsNotEmptyDirectoryException', `\`${path} is non empty': Directory is not empty`);
			await rmdir(local(path));
		}
		return true;
	};

	const openOnDatanode = async (res: ServerResponse, path: string, params: Record<string, string>): Promise<void> => {
		if (params.namenoderpcaddress === undefined) throw new RemoteError('IllegalArgumentException', 'namenoderpcaddress is not specified.');
		const st = await statOf(path);
		const offset = Number(params.offset ?? 0);
		const length = params.length === undefined ? st.size - offset : Math.min(Number(params.length), st.size - offset);
		if (!(offset >= 0) || offset > st.size) throw new RemoteError('IOException', `Offset=${offset} out of the range [0, ${st.size}); OPEN, path=${path}`);
		const bytes = Buffer.alloc(Math.max(0, length));
		const file = await open(local(path), 'r');
		try {
			await file.read(bytes, 0, bytes.length, offset);
		} finally {
			await file.close();
		}
		res.writeHead(200, {'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length});
		res.end(bytes);
	};

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent) return void res.destroy();
			const remote = error instanceof RemoteError ? error : new RemoteError('IOException', error instanceof Error ? error.message : String(error));
			const {status, javaClassName} = EXCEPTIONS[remote.exception];
			sendJson(res, status, {RemoteException: {exception: remote.exception, javaClassName, message: remote.message}});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	const port = typeof address === 'object' && address !== null ? address.port : 0;
	base = `http://127.0.0.1:${port}`;
	return {
		url: base,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error === undefined ? resolve() : reject(error)));
			}),
	};
}
