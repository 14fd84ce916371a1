// The server's log: JSON lines on stdout (pino), one per event, with a level, the time and `msg`. Errors go
// under `err` and keep their type, message and stack (pino's error serialiser). LOG_LEVEL sets the level
// (trace, debug, info, warn, error, fatal, silent; default info). Each concern takes a child logger with
// the fields that say where it happened (`pieceId` for a document, `pieceId` and `user` for a connection).
import { pino, type Logger } from 'pino';

export type { Logger };

/** A logger writing JSON lines to `destination` (stdout by default) at LOG_LEVEL. */
export function createLogger(destination?: pino.DestinationStream, level = process.env.LOG_LEVEL || 'info'): Logger {
	return pino(
		{
			level,
			base: undefined,
			timestamp: pino.stdTimeFunctions.isoTime,
			formatters: { level: (label) => ({ level: label }) },
			serializers: { err: pino.stdSerializers.err }
		},
		destination
	);
}

/** The process's logger: every server module logs through it (or a child of it). */
export const logger: Logger = createLogger();

/** A logger that writes nothing (tests that build server parts by hand). */
export const silentLogger: Logger = createLogger(undefined, 'silent');
