import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MAX_AWARENESS_STATE_BYTES } from '../../domain/collab';

export interface AwarenessIdentity {
	id: string;
	name: string;
	color: string;
}

export interface AwarenessEntry {
	clientID: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/** An awareness state over MAX_AWARENESS_STATE_BYTES: refused before it is parsed. */
export class AwarenessStateTooLarge extends Error {}

/** Decode an awareness update (y-protocols format). Throws on malformed input, and AwarenessStateTooLarge for a state over the cap. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const len = decoding.readVarUint(decoder);
	if (len > 10_000) throw new Error('too many awareness entries');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < len; i++) {
		const clientID = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const bytes = decoding.peekVarUint(decoder); // the state's length in bytes (UTF-8)
		if (bytes > MAX_AWARENESS_STATE_BYTES) throw new AwarenessStateTooLarge(`awareness state of ${bytes} bytes (at most ${MAX_AWARENESS_STATE_BYTES})`);
		const parsed = JSON.parse(decoding.readVarString(decoder));
		if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
			throw new Error('awareness state must be an object or null');
		}
		entries.push({ clientID, clock, state: parsed });
	}
	if (decoding.hasContent(decoder)) throw new Error('trailing bytes after awareness update');
	return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientID);
		encoding.writeVarUint(encoder, e.clock);
		encoding.writeVarString(encoder, JSON.stringify(e.state));
	}
	return encoding.toUint8Array(encoder);
}

/**
 * Overwrite the `user` field of every state with the identity the server knows from the session, so a
 * client cannot show itself as someone else.
 */
export function stampIdentity(entries: AwarenessEntry[], who: AwarenessIdentity): AwarenessEntry[] {
	return entries.map((e) =>
		e.state === null ? e : { ...e, state: { ...e.state, user: { id: who.id, name: who.name, color: who.color } } }
	);
}
