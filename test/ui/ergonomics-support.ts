/** Frame helpers of the ergonomics tests: lines of a frame, and waiting for one through helpers.ts's waitFor (no fixed sleeps). */
import {waitFor} from './helpers.js';

// eslint-disable-next-line no-control-regex
export const stripAnsi = (text: string) => text.replace(/\u001B\[[0-9;]*m/g, '');
export const lines = (frame: string) => stripAnsi(frame).split('\n');
export const selectedLine = (frame: string) => lines(frame).find((line) => line.startsWith('❯')) ?? '';
export const crumbLine = (frame: string) => lines(frame)[2] ?? '';
export const footerLine = (frame: string) => lines(frame).at(-1) ?? '';

/**
 * {@link waitFor} of `helpers.ts` on the frame without colours (a text, a pattern, or a test of the
 * frame), returning that frame: the ergonomics tests read it afterwards.
 */
export async function waitForFrame(frame: () => string, pattern: string | RegExp | ((frame: string) => boolean), timeoutMs = 5000): Promise<string> {
	const plain = (): string => stripAnsi(frame());
	await waitFor(plain, typeof pattern === 'function' ? () => pattern(plain()) : pattern, timeoutMs);
	return plain();
}
