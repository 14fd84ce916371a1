// Loggers for tests that build server parts by hand: one that writes nothing, and one that keeps the
// messages it was given (in order) so a test can read what was logged.
import { createLogger, type Logger } from '../../src/lib/server/log';

export { silentLogger } from '../../src/lib/server/log';

/** A logger (every level from debug) whose lines are kept: `messages` lists their `msg`, `lines` the whole JSON. */
export function recordingLogger(): { log: Logger; messages: string[]; lines: Record<string, unknown>[] } {
	const messages: string[] = [];
	const lines: Record<string, unknown>[] = [];
	const log = createLogger(
		{
			write(line: string) {
				const entry = JSON.parse(line) as Record<string, unknown>;
				lines.push(entry);
				messages.push(String(entry.msg));
			}
		},
		'debug'
	);
	return { log, messages, lines };
}
