import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebSocket } from 'ws';
import type { Actor } from '../auth/sessions';
import { UpdateRefused, type LiveDocument, type DocumentPeer } from './documents';
import { AwarenessStateTooLarge, decodeAwarenessUpdate, encodeAwarenessUpdate, stampIdentity } from './awareness-stamp';
import { LIMITS, ProtocolError, ensureEnd, isEmptyUpdate, validateUpdate } from './client-messages';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_DURABLE_ACK, MESSAGE_NOTICE, MESSAGE_SYNC, type CollabNotice } from '../../domain/collab';
import type { Logger } from '../log';

/**
 * The sync message framing the update fanned out last: a document hands the same update object to each of
 * its peers in turn, so it is framed once (a one-entry cache, not a WeakMap entry per update to collect).
 */
let framed: { update: Uint8Array; message: Uint8Array } | null = null;
const forgetFramed = () => {
	framed = null;
};
/** `Y.encodeStateVector` of an empty document. */
const EMPTY_STATE_VECTOR = new Uint8Array([0]);

/** One websocket on one piece: y-protocols sync + awareness, read-only, limits, our ack and notices. */
export class CollabConnection implements DocumentPeer {
	private ownedClientIds = new Set<number>();
	private tokens: number = LIMITS.messageBurst;
	private lastRefill = Date.now();
	closed = false;
	/** Frames received on this socket, all kinds counted (the client counts the frames it sends alike). */
	private framesReceived = 0;
	/**
	 * Update frames not settled yet: the frame's number, the document generation that must be stored first,
	 * and the latest relayed update (from another process, which stores it) that must be acknowledged first.
	 */
	private unsettled: { frame: number; generation: number; relayed: number; missing: Map<number, number> | null }[] = [];

	constructor(
		readonly socket: WebSocket,
		readonly live: LiveDocument,
		readonly actor: Actor,
		public access: 'edit' | 'view',
		/** This connection's logger (a child naming the piece and the person). */
		private log: Logger,
		/** The sections (heading ids) this connection may write in; null: the whole piece (policies textScope). */
		readonly sections: readonly string[] | null = null,
		/**
		 * The client's first step 1 (empty state vector) was answered with the stored state while the document
		 * loaded (early-step.ts): answered again only with what the document gained since.
		 */
		private answeredAhead = false
	) {}

	/** This person's caret colour in this document (see LiveDocument.join). */
	private presence: { colour: string; leave: () => void } | null = null;

	start(): void {
		this.presence = this.live.join(this.actor);
		this.live.peers.add(this);
		this.socket.binaryType = 'nodebuffer';
		this.socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary));
		this.socket.on('close', () => this.onClose());
		// On a protocol error (e.g. a frame over maxPayload) ws has already started the closing handshake with
		// the right code (1009, 1007…); terminating now would destroy the socket before that close frame is
		// written and the client would see 1006. Terminate only a socket that is not closing already.
		this.socket.on('error', () => {
			if (this.socket.readyState === this.socket.OPEN) this.socket.terminate();
		});
		// Our sync step 1, so the client sends what we lack; then who is here; then what is durable.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		syncProtocol.writeSyncStep1(encoder, this.live.doc);
		this.send(encoding.toUint8Array(encoder));
		const states = [...this.live.awareness.getStates().keys()];
		if (states.length) this.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(this.live.awareness, states));
		this.sendDurableAck();
		if (this.access === 'view') this.sendNotice({ type: 'read_only', reason: 'You can read this piece but not edit it.' });
		this.sendNotice({ type: 'presence', color: this.presence.colour });
	}

	/** Date.now() of the last frame sent: a connection that was sent something lately needs no keepalive. */
	lastSentAt = 0;

	private send(message: Uint8Array): void {
		if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
		this.lastSentAt = Date.now();
		this.socket.send(message, this.afterSend);
	}

	/** One callback for every frame this connection sends (not a closure per frame). */
	private readonly afterSend = (err?: Error) => {
		if (err) this.close(CLOSE.GOING_AWAY, 'send failed');
	};

	sendUpdate(update: Uint8Array): void {
		// every peer of a document gets the same update object, one after the other: frame it once
		if (framed?.update !== update) {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			syncProtocol.writeUpdate(encoder, update);
			framed = { update, message: encoding.toUint8Array(encoder) };
			queueMicrotask(forgetFramed); // the fan-out is one synchronous loop: hold no update past it
		}
		this.send(framed.message);
	}

	sendAwareness(update: Uint8Array): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
		encoding.writeVarUint8Array(encoder, update);
		this.send(encoding.toUint8Array(encoder));
	}

	/** Frames up to this number are handled and, if they changed the document, committed. */
	private get settledFrames(): number {
		return this.unsettled.length ? this.unsettled[0].frame - 1 : this.framesReceived;
	}

	/** Message 8: the state vector of everything durable, then how many of this client's frames are settled. */
	sendDurableAck(stateVector: Uint8Array = this.live.durableStateVector): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_DURABLE_ACK);
		encoding.writeVarUint8Array(encoder, stateVector);
		encoding.writeVarUint(encoder, this.settledFrames);
		this.send(encoding.toUint8Array(encoder));
	}

	/** Only a connection with frames waiting for what was just stored is told; the others have nothing waiting. */
	durableAdvanced(stateVector: Uint8Array, generation: number, oldestRelayed: number): void {
		let settled = false;
		while (this.unsettled.length) {
			const next = this.unsettled[0];
			if (next.missing) {
				// its structs were waiting for a dependency: settled only once they are in the document, and stored
				if (!integrated(this.live, next.missing)) break;
				next.missing = null;
				next.generation = Math.max(next.generation, this.live.generation);
			}
			if (next.generation > generation || next.relayed >= oldestRelayed) break;
			this.unsettled.shift();
			settled = true;
		}
		if (settled) this.sendDurableAck(stateVector);
	}

	/** Relayed updates were taken over to be stored here (generation `generation`): frames waiting for them wait for that. */
	relayedAdopted(generation: number): void {
		for (const entry of this.unsettled) if (entry.relayed > 0) entry.generation = Math.max(entry.generation, generation);
	}

	sendNotice(notice: CollabNotice): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_NOTICE);
		encoding.writeVarString(encoder, JSON.stringify(notice));
		this.send(encoding.toUint8Array(encoder));
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.socket.close(code, reason.slice(0, 120));
		this.onClose();
	}

	private takeToken(): boolean {
		const now = Date.now();
		this.tokens = Math.min(LIMITS.messageBurst, this.tokens + ((now - this.lastRefill) / 1000) * LIMITS.messagesPerSecond);
		this.lastRefill = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}

	private onMessage(data: Buffer, isBinary: boolean): void {
		if (this.closed) return;
		try {
			if (!isBinary) throw new ProtocolError(CLOSE.INVALID_DATA, 'text frames are not part of the protocol');
			if (!this.takeToken()) throw new ProtocolError(CLOSE.POLICY, 'message rate limit exceeded');
			this.framesReceived++;
			const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
			if (message.length === 0) throw new ProtocolError(CLOSE.INVALID_DATA, 'empty message');
			this.handle(message);
		} catch (err) {
			if (err instanceof ProtocolError) {
				this.log.warn({ code: err.code, reason: err.message }, 'closing connection');
				this.close(err.code, err.message);
			} else {
				this.log.warn({ err }, 'closing connection after an undecodable message');
				this.close(CLOSE.INVALID_DATA, 'undecodable message');
			}
		}
	}

	/**
	 * Answer a sync step 1 with our step 2: what the client lacks. A first empty step 1 answered ahead with the
	 * stored state (early-step.ts) is answered with what the document gained since it was stored.
	 */
	private answerStep1(stateVector: Uint8Array): void {
		const given = Y.decodeStateVector(stateVector); // throws on garbage
		const ahead = this.answeredAhead && given.size === 0;
		this.answeredAhead = false;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_SYNC);
		encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
		encoding.writeVarUint8Array(encoder, ahead ? this.live.updateSinceLoad() : this.live.updateFor(stateVector));
		this.send(encoding.toUint8Array(encoder));
	}

	/**
	 * The socket's address said the client holds no copy of the piece (HOLDS_NO_COPY_PARAM): answer the step 1
	 * of an empty document it will not send. No frame was received, so none is counted.
	 */
	answerClientWithNoCopy(): void {
		this.answerStep1(EMPTY_STATE_VECTOR);
	}

	private handle(message: Uint8Array): void {
		const decoder = decoding.createDecoder(message);
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case MESSAGE_SYNC: {
				const syncType = decoding.readVarUint(decoder);
				if (syncType === syncProtocol.messageYjsSyncStep1) {
					const stateVector = decoding.readVarUint8Array(decoder);
					ensureEnd(decoder);
					this.answerStep1(stateVector);
					return;
				}
				if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
					const update = decoding.readVarUint8Array(decoder);
					ensureEnd(decoder);
					this.receiveUpdate(update);
					return;
				}
				throw new ProtocolError(CLOSE.INVALID_DATA, `unknown sync message ${syncType}`);
			}
			case MESSAGE_AWARENESS: {
				const update = decoding.readVarUint8Array(decoder);
				ensureEnd(decoder);
				this.receiveAwareness(update);
				return;
			}
			case 3: {
				// y-websocket's "query awareness": answer with every state
				const states = [...this.live.awareness.getStates().keys()];
				if (states.length) this.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(this.live.awareness, states));
				return;
			}
			default:
				throw new ProtocolError(CLOSE.INVALID_DATA, `unknown message type ${type}`);
		}
	}

	private receiveUpdate(update: Uint8Array): void {
		// A reader's update is only looked at (decoded in full: garbage closes the connection); an editor's is
		// decoded by the scratch copy's apply, which refuses garbage the same way (UpdateRefused `undecodable`).
		if (this.access !== 'edit') {
			if (validateUpdate(update).changes) this.sendNotice({ type: 'update_rejected', reason: 'This piece is read-only for you.' });
			this.settleWhenStored(false);
			return;
		}
		if (isEmptyUpdate(update)) {
			this.settleWhenStored(false);
			return;
		}
		const before = this.live.generation;
		try {
			const { conformance } = this.live.applyClientUpdate(update, this, this.sections);
			if (conformance.size) {
				this.log.info({ removed: Object.fromEntries(conformance) }, 'conformed a client update to the editor schema');
			}
		} catch (err) {
			if (err instanceof UpdateRefused && err.kind === 'outside_sections') {
				// refused as a whole: nothing applied, stored or relayed; the client drops its copy and syncs afresh
				this.log.warn({ why: err.message }, 'refused an update outside the sender’s sections');
				this.sendNotice({ type: 'update_rejected', reason: `You may edit only inside your sections of this piece (refused: ${err.message}).`, resync: true });
				this.settleWhenStored(false);
				return;
			}
			if (err instanceof UpdateRefused) throw new ProtocolError(err.kind === 'undecodable' ? CLOSE.INVALID_DATA : CLOSE.POLICY, err.message);
			throw err;
		}
		this.settleWhenStored(this.live.generation > before, update);
	}

	/**
	 * The update frame just handled is settled once everything the document holds now is stored: what it
	 * brought, and also what it did not bring because the server had it already (an edit re-sent after a
	 * reconnect, or restored from IndexedDB by a reloaded page, may still be waiting for its commit here,
	 * or be held only as relayed from another process). With nothing waiting, the ack goes out at once.
	 */
	private settleWhenStored(changed: boolean, update: Uint8Array | null = null): void {
		const generation = this.live.generation;
		// A frame that brought changes waits for them; one that brought nothing new waits also for relayed
		// updates held now (it may be re-sending them), but not for later ones.
		const relayed = changed ? 0 : this.live.latestRelayed;
		// Structs left waiting for a missing dependency are in no update to store yet: the frame waits for them.
		// None wait when the document holds no pending structs (the update is decoded only when some do).
		const missing = new Map<number, number>();
		const structs = update && this.live.doc.store.pendingStructs !== null ? Y.decodeUpdate(update).structs : [];
		for (const struct of structs) {
			if (struct instanceof Y.Skip) continue;
			const end = struct.id.clock + struct.length;
			if (Y.getState(this.live.doc.store, struct.id.client) < end) missing.set(struct.id.client, Math.max(end, missing.get(struct.id.client) ?? 0));
		}
		if (this.unsettled.length === 0 && missing.size === 0 && this.live.durableGeneration >= generation && relayed < this.live.oldestRelayed) {
			this.sendDurableAck();
			return;
		}
		this.unsettled.push({ frame: this.framesReceived, generation, relayed, missing: missing.size ? missing : null });
	}

	private receiveAwareness(update: Uint8Array): void {
		let entries;
		try {
			entries = decodeAwarenessUpdate(update);
		} catch (err) {
			if (err instanceof AwarenessStateTooLarge) throw new ProtocolError(CLOSE.POLICY, err.message);
			throw new ProtocolError(CLOSE.INVALID_DATA, `bad awareness update: ${(err as Error).message}`);
		}
		// Stock clients echo every awareness change they receive, other people's included: entries for
		// client ids this connection does not own are ignored, never applied (and never a reason to close).
		const known = this.live.awareness.getStates();
		const own: typeof entries = [];
		for (const entry of entries) {
			if (!this.ownedClientIds.has(entry.clientID)) {
				const ownedElsewhere = [...this.live.peers].some((peer) => peer !== this && peer instanceof CollabConnection && peer.ownedClientIds.has(entry.clientID));
				// a state present but owned by no connection here belongs to a client on another process (relay)
				const someoneElses = ownedElsewhere || known.has(entry.clientID);
				if (someoneElses) continue;
				if (entry.state === null) continue; // a removal for an id we never saw
				if (this.ownedClientIds.size >= LIMITS.clientIdsPerConnection) {
					throw new ProtocolError(CLOSE.POLICY, 'too many awareness client ids');
				}
				this.ownedClientIds.add(entry.clientID);
			}
			own.push(entry);
		}
		if (own.length === 0) return;
		entries = own;
		const stamped = stampIdentity(entries, { ...this.actor, color: this.presence?.colour ?? this.actor.color });
		awarenessProtocol.applyAwarenessUpdate(this.live.awareness, encodeAwarenessUpdate(stamped), this);
	}

	private onClose(): void {
		if (this.closed) return;
		this.closed = true;
		this.live.peers.delete(this);
		this.presence?.leave();
		if (this.ownedClientIds.size) {
			awarenessProtocol.removeAwarenessStates(this.live.awareness, [...this.ownedClientIds], 'disconnect');
		}
		this.onClosed?.(this);
	}

	onClosed?: (conn: CollabConnection) => void;
}

/** Are the structs up to these clocks (per client) in the document, no longer waiting for a dependency? */
function integrated(live: LiveDocument, ends: Map<number, number>): boolean {
	for (const [client, end] of ends) if (Y.getState(live.doc.store, client) < end) return false;
	return true;
}
