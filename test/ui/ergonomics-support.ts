/** Waiting for frames in the ergonomics tests: poll the last frame until it shows the text (no fixed sleeps). */
import {setTimeout as sleep} from 'node:timers/promises';

// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
export const lines = (frame: string) => stripAnsi(frame).split('\n');
export const selectedLine = (frame: string) => lines(frame).find((line) => line.startsWith('❯')) ?? '';
export const crumbLine = (frame: string) => lines(frame)[2] ?? '';
export const footerLine = (frame: string) => lines(frame).at(-1) ?? '';

/** Polls `frame()` until it (without colours) contains the text, matches, or passes the test, up to `timeoutMs`; returns it, else throws with the last frame. */
export async function waitForFrame(frame: () => string, pattern: string | RegExp | ((frame: string) => boolean), timeoutMs = 5000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	for (;;) {
		last = stripAnsi(frame());
		if (typeof pattern === 'string' ? last.includes(pattern) : typeof pattern === 'function' ? pattern(last) : pattern.test(last)) return last;
		if (Date.now() > deadline) throw new Error(`the frame never showed ${String(pattern)}; last frame:\n${last}`);
		await sleep(10);
	}
}
