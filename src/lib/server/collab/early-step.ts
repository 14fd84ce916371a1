import type { WebSocket } from 'ws';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_SYNC } from '../../domain/collab';

// A new connection's first frames while its document loads. They are held and handled in order once the
// document is loaded (CollabServer.attach), except that a client with nothing yet (sync step 1 with an
// empty state vector: every stock client's first frame on a new page) is answered at once with the stored
// state, when the load read a state that may be sent as it is stored (StoredDocument.clean): the client
// decodes it while the server does (two cores), instead of after. The held step 1 is still handled later,
// counted as the frame it is (the durable ack counts frames), and answered then only with what the document
// gained since it was stored (LiveDocument.updateSinceLoad: the load repairs, relayed edits; usually nothing).
// A client whose socket's address says it holds no copy (HOLDS_NO_COPY_PARAM) sends no step 1: its empty one
// is known from the start, and answered alike (ahead, then the rest once the document is loaded).

/** Sync step 1 with an empty state vector: message 0, step 0, then the vector [0] as a varUint8Array. */
export function isEmptySyncStep1(frame: Uint8Array): boolean {
	return frame.length === 4 && frame[0] === MESSAGE_SYNC && frame[1] === syncProtocol.messageYjsSyncStep1 && frame[2] === 1 && frame[3] === 0;
}

export class HeldFrames {
	readonly frames: [Buffer, boolean][] = [];
	/** A held step 1 was answered with the stored state (the connection then answers it with the rest only). */
	answered = false;
	private stored: Uint8Array | null = null;

	constructor(
		private ws: WebSocket,
		/** Checked just before answering: may this connection still read the piece (nothing withdrawn meanwhile)? */
		private mayRead: () => boolean,
		/** The socket's address said the client holds no copy (HOLDS_NO_COPY_PARAM): its step 1 is known without a frame. */
		private holdsNoCopy = false
	) {}

	/** The socket's message listener while the document loads. */
	readonly hold = (data: Buffer, isBinary: boolean): void => {
		this.frames.push([data, isBinary]);
		this.answer();
	};

	/** The load read a state that may be sent before it is decoded (DocumentRegistry.whenStoredAhead). */
	readonly storedAhead = (state: Uint8Array): void => {
		this.stored = state;
		this.answer();
	};

	private answer(): void {
		if (this.answered || !this.stored || this.ws.readyState !== this.ws.OPEN) return;
		if (!this.holdsNoCopy && !this.frames.some(([data, isBinary]) => isBinary && isEmptySyncStep1(data))) return;
		if (!this.mayRead()) return;
		this.answered = true;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
		encoding.writeVarUint8Array(encoder, this.stored);
		this.ws.send(encoding.toUint8Array(encoder));
	}
}
