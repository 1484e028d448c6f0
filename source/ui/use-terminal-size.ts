/** Terminal size from Ink's stdout, updated on `resize` events. */
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** Columns and rows of the terminal. */
export interface TerminalSize {
	columns: number;
	rows: number;
}

/** Fallbacks when the output is not a terminal. */
export const DEFAULT_SIZE: TerminalSize = {columns: 80, rows: 24};

function read(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || DEFAULT_SIZE.columns, rows: stdout.rows || DEFAULT_SIZE.rows};
}

/** The current terminal size; re-renders when the terminal is resized. */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => read(stdout));
	useEffect(() => {
		const onResize = () => {
			setSize(read(stdout));
		};

		onResize();
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
