/**
 * Drive the real `fcx` binary in a tmux pane, as a person would: type with `send-keys`, read the
 * screen with `capture-pane`. Each session uses its own tmux server socket.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';

/** Whether tmux is installed. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A tmux session running one command in a pane of fixed size. */
export class TmuxSession {
	private readonly socket: string;

	constructor(command: string, options: {columns?: number; rows?: number; cwd?: string; env?: Record<string, string>} = {}) {
		this.socket = `fcx-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
		const env = Object.entries(options.env ?? {})
			.map(([k, v]) => `${k}=${v}`)
			.join(' ');
		this.tmux(
			'new-session',
			'-d',
			'-s',
			'fcx',
			'-x',
			String(options.columns ?? 120),
			'-y',
			String(options.rows ?? 40),
			...(options.cwd ? ['-c', options.cwd] : []),
			`${env ? `env ${env} ` : ''}${command}; echo "[exit $?]"; sleep 30`,
		);
	}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** Run a tmux command on this session's server (`set-option`, `show-buffer`, …); its output. */
	command(...args: string[]): string {
		return this.tmux(...args);
	}

	/** Send keys (tmux key names such as `Down`, `Enter`, `Escape`, `C-c`, or literal text). */
	send(...keys: string[]): void {
		this.tmux('send-keys', '-t', 'fcx', ...keys);
	}

	/** Send literal text. */
	type(text: string): void {
		this.tmux('send-keys', '-t', 'fcx', '-l', text);
	}

	/** Resize the pane's window. */
	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', 'fcx', '-x', String(columns), '-y', String(rows));
	}

	/** The visible screen as text. */
	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', 'fcx');
	}

	/** Wait until the screen matches, else throw with the last screen. */
	async waitFor(pattern: RegExp | string, timeoutMs = 15_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			last = this.screen();
			if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
			await sleep(100);
		}
		throw new Error(`screen never showed ${String(pattern)}; last screen:\n${last}`);
	}

	/** Kill the tmux server of this session. */
	close(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}
}
