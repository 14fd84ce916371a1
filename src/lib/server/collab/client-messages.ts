// What a client may send on a collaboration socket: the limits of a connection, the error that closes it,
// and the checks of a message's bytes before anything is applied (connection.ts reads the messages).
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { CLOSE } from '../../domain/collab';

export const LIMITS = {
	/** Largest websocket frame accepted (a 1 MB document's first sync fits with room). */
	maxPayloadBytes: 16 * 1024 * 1024,
	/** Messages per second a connection may send, averaged over a burst. */
	messagesPerSecond: 300,
	messageBurst: 1500,
	connectionsPerDocument: 200,
	/** Awareness client ids one connection may own (a tab has one; a few for reconnects). */
	clientIdsPerConnection: 8
} as const;

export class ProtocolError extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
	}
}

export function ensureEnd(decoder: decoding.Decoder): void {
	if (decoding.hasContent(decoder)) throw new ProtocolError(CLOSE.INVALID_DATA, 'trailing bytes in message');
}

/**
 * An update that holds nothing: no structs and an empty delete set (two zero counts, as Yjs encodes it).
 * Anything else is applied (on the scratch copy first), which decodes it.
 */
export function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/**
 * Decode an update fully (a reader's, which is applied nowhere): truncated, random or oversized
 * structures throw here and the connection is closed with 1007.
 */
export function validateUpdate(update: Uint8Array): { changes: boolean; structs: ReturnType<typeof Y.decodeUpdate>['structs'] } {
	if (update.length === 0) throw new ProtocolError(CLOSE.INVALID_DATA, 'empty update');
	let decoded;
	try {
		decoded = Y.decodeUpdate(update);
	} catch (err) {
		throw new ProtocolError(CLOSE.INVALID_DATA, `undecodable update: ${(err as Error).message ?? err}`);
	}
	const changes = decoded.structs.length > 0 || decoded.ds.clients.size > 0;
	return { changes, structs: decoded.structs };
}
