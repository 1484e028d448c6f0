/**
 * The flag table: every flag of `fcx`, its type, its help and the commands it applies to. It drives
 * meow's parsing ({@link meowFlags}), `--help` (`help.ts`) and the checks of `parse.ts` (unknown
 * flag, a flag given to a command it does not apply to, a bad count). Adding a flag is one entry
 * here (and its use in a handler); the {@link Flags} type follows from the table.
 */
import type {AnyFlag, AnyFlags} from 'meow';

/** A command: the first word of the command line (`explore` when it is not a command). */
export type Command = 'explore' | 'report' | 'inspect' | 'what-if' | 'plan' | 'clean';

/**
 * One flag. `count` is a positive whole number (parsed here, not by meow, so that a bad value is
 * named as typed); `string` and `count` flags name their value in the help (`value`).
 */
export interface FlagSpec {
	readonly type: 'boolean' | 'string' | 'count';
	readonly isMultiple?: boolean;
	readonly default?: boolean | string[];
	/** The value's name in the help: `--min-age DURATION`. */
	readonly value?: string;
	/** Help lines (the first is the summary); shown after the flag in `--help`. */
	readonly help: readonly string[];
	/** The commands the flag applies to. */
	readonly commands: readonly Command[];
	/** The flag applies only together with this boolean flag (its camelCase name): `--files` with `json`. */
	readonly requires?: string;
	/** The help shows `--no-<name>` (a boolean that defaults to true). */
	readonly negated?: boolean;
}

/** Commands that read a tree. */
const ANALYSING: readonly Command[] = ['explore', 'report', 'what-if', 'plan'];

/** Every flag, in help order; keys are meow's camelCase names. */
export const FLAGS = {
	json: {type: 'boolean', default: false, help: ['JSON instead of text'], commands: ['explore', 'report', 'inspect', 'what-if', 'plan']},
	files: {
		type: 'boolean',
		default: false,
		requires: 'json',
		help: ['also list every referenced file of every checkpoint', '(large: about 600 bytes per file and checkpoint)'],
		commands: ['explore', 'report'],
	},
	map: {
		type: 'string',
		isMultiple: true,
		default: [],
		value: 'REMOTE=LOCAL',
		help: ['map a remote URI prefix to a local directory (repeatable);', 'without it, inferred from the tree layout'],
		commands: ANALYSING,
	},
	minAge: {
		type: 'string',
		value: 'DURATION',
		help: ['younger files and chk-<n> dirs count as possibly in progress,', 'not as orphans (default 1h, clean: the plan’s; 30m, 2h, 1d, 0)'],
		commands: [...ANALYSING, 'clean'],
	},
	endpoint: {
		type: 'string',
		value: 'URL',
		help: [
			'S3 roots (s3://bucket/prefix, s3a:// …): the endpoint of an S3-compatible',
			'store (MinIO, Ceph); default AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else',
			'AWS. Credentials and region: the AWS SDK’s chain',
		],
		commands: [...ANALYSING, 'clean'],
	},
	pathStyle: {
		type: 'boolean',
		negated: true,
		help: ['S3: virtual-hosted addressing with a custom endpoint (default: path style)'],
		commands: [...ANALYSING, 'clean'],
	},
	entropyKey: {
		type: 'string',
		value: 'KEY',
		help: [
			'S3: Flink’s s3.entropy.key; give the roots as state.checkpoints.dir',
			'is configured (s3://bucket/KEY/checkpoints) to find the state files',
			'below every entropy prefix',
		],
		commands: ANALYSING,
	},
	webhdfs: {
		type: 'string',
		value: 'HOST:PORT',
		help: ['HDFS roots (hdfs://namenode:port/path, webhdfs://host:port/path): the', 'namenode’s WebHDFS address (default: the root’s host, port 9870)'],
		commands: [...ANALYSING, 'clean'],
	},
	hdfsUser: {
		type: 'string',
		value: 'USER',
		help: ['HDFS: user.name= for a cluster without security (default HADOOP_USER_NAME)'],
		commands: [...ANALYSING, 'clean'],
	},
	delegation: {
		type: 'string',
		value: 'TOKEN',
		help: ['HDFS: a delegation token (default FCX_WEBHDFS_DELEGATION);', 'Kerberos/SPNEGO is not supported'],
		commands: [...ANALYSING, 'clean'],
	},
	listing: {
		type: 'string',
		isMultiple: true,
		value: 'FILE',
		help: [
			'read the store roots from an offline listing instead of the store',
			'(repeatable; hdfs dfs -ls -R, aws s3 ls --recursive, aws s3api',
			'list-objects-v2 JSON, or an S3 Inventory manifest.json)',
		],
		commands: ANALYSING,
	},
	metadataFrom: {
		type: 'string',
		value: 'DIR',
		help: ['with --listing: a local copy of the _metadata files, at their paths', 'below the root'],
		commands: ANALYSING,
	},
	channelLayout: {type: 'string', value: 'A|B', help: ['force the channel-state layout of V3 files'], commands: ['inspect']},
	color: {
		type: 'boolean',
		default: true,
		negated: true,
		help: ['plain output (also honours NO_COLOR)'],
		commands: ['explore', 'report', 'inspect', 'what-if', 'plan', 'clean'],
	},
	root: {
		type: 'string',
		isMultiple: true,
		value: 'DIR',
		help: ['trees to analyse (repeatable; default: the base directory', 'holding each target’s job or savepoint directory)'],
		commands: ['what-if'],
	},
	keepLast: {type: 'count', value: 'N', help: ['keep the newest N complete checkpoints per job'], commands: ['what-if']},
	target: {
		type: 'string',
		isMultiple: true,
		value: 'PATH',
		help: [
			'also plan this checkpoint/savepoint/job dir and what only it references',
			'(refused if anything would break, or if a snapshot that may',
			'reference it could not be read)',
		],
		commands: ['plan'],
	},
	acceptUnreadable: {
		type: 'boolean',
		default: false,
		help: ['go on with targets that snapshots which could not be read may', 'reference (you take that risk; clean asks for it again)'],
		commands: ['plan', 'clean'],
	},
	out: {
		type: 'string',
		value: 'FILE',
		help: ['write to FILE (JSON when --json or FILE ends in .json,', 'else the shell script); never overwrites'],
		commands: ['plan'],
	},
	plan: {type: 'string', value: 'FILE', help: ['the JSON plan to execute'], commands: ['clean']},
	delete: {type: 'boolean', default: false, help: ['delete for real instead of moving into', '<root>/.fcx-quarantine/<timestamp>/'], commands: ['clean']},
	allowVersioned: {
		type: 'boolean',
		default: false,
		help: ['S3: go on in a versioned bucket (a delete only adds a delete marker:', 'nothing is freed) or one with Object Lock (deletes may be refused)'],
		commands: ['clean'],
	},
	yes: {type: 'boolean', default: false, help: ['do not ask (required when not on a terminal)'], commands: ['clean']},
	allowDelete: {type: 'boolean', default: false, help: ['mark orphans (Space) and quarantine them (D)'], commands: ['explore']},
} as const satisfies Record<string, FlagSpec>;

/** A flag's name as meow gives it (camelCase). */
export type FlagName = keyof typeof FLAGS;

type FlagValue<S> = S extends {type: 'boolean'} ? boolean : S extends {type: 'count'} ? number : S extends {isMultiple: true} ? string[] : string;

/** Parsed flags (absent: not given and no default). */
export type Flags = {-readonly [K in FlagName]?: FlagValue<(typeof FLAGS)[K]>};

/** Every flag name, in table order. */
export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

/** `min-age` → `minAge` (a camelCase name stays as it is). */
export function camelCase(text: string): string {
	return text.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Whether `name` is a flag's name (camelCase, as in {@link FLAGS}). */
export function isFlagName(name: string): name is FlagName {
	return Object.hasOwn(FLAGS, name);
}

/** The spec of `name`. */
export function flagSpec(name: FlagName): FlagSpec {
	return FLAGS[name];
}

/** `keepLast` → `--keep-last`. */
export function flagText(name: string): string {
	return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The flag definitions meow parses with (a `count` is read as a string and checked by `parse.ts`). */
export function meowFlags(): AnyFlags {
	const result: AnyFlags = {};
	for (const name of FLAG_NAMES) {
		const spec = flagSpec(name);
		const type = spec.type === 'count' ? 'string' : spec.type;
		const defaults = spec.default === undefined ? {} : {default: Array.isArray(spec.default) ? [...spec.default] : spec.default};
		result[name] = {type, ...(spec.isMultiple === true ? {isMultiple: true} : {}), ...defaults} as AnyFlag;
	}
	return result;
}
