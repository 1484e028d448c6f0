/**
 * The one-line prompts of `K` (keep the newest N) and `M` (min-age): a question, what has been
 * typed, and what Enter and Esc do.
 */
import {Box, Text} from 'ink';
import {formatDuration} from '../../text/index.js';

/** Props of {@link Prompt}. */
export interface PromptProps {
	question: string;
	/** The label before the typed text (`N`, `age`). */
	label: string;
	typed: string;
	/** What Enter does, and more (one dim line). */
	help: string;
	width: number;
	height: number;
}

/** A prompt: the question, `label: typed▏`, and a dim help line. */
export function Prompt({question, label, typed, help, width, height}: PromptProps) {
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>{question}</Text>
			<Text> </Text>
			<Text>
				{`${label}: `}
				<Text bold color="cyan">{`${typed}▏`}</Text>
			</Text>
			<Text dimColor>{help}</Text>
		</Box>
	);
}

/** Props of {@link MinAgePrompt}. */
export interface MinAgePromptProps {
	typed: string;
	/** The command line's `--min-age` and the age in effect, ms. */
	commandLineMs: number;
	currentMs: number;
	width: number;
	height: number;
}

/** The prompt of `M`: the age below which orphans are kept. */
export function MinAgePrompt({typed, commandLineMs, currentMs, width, height}: MinAgePromptProps) {
	return (
		<Prompt
			question={`Keep the orphans younger than what age? Now ${formatDuration(currentMs)}; the command line's --min-age is ${formatDuration(commandLineMs)}`}
			label="age"
			typed={typed}
			help={`⏎ sets it (as --min-age: 30m, 2h, 1d; empty: the command line's) · only ever ${formatDuration(commandLineMs)} or more: deleting from here never removes a younger file · Esc cancels`}
			width={width}
			height={height}
		/>
	);
}
