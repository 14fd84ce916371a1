import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentStore } from './persistence';

/** Anything the document fans out to: a websocket connection, or the Redis relay. */
export interface DocumentPeer {
	sendUpdate(update: Uint8Array): void;
	sendAwareness(update: Uint8Array): void;
	sendDurableAck(stateVector: Uint8Array): void;
}

const COMPACT_AFTER_ROWS = 200;

/**
 * A piece's live Yjs document in this process: loaded once from the database, fanned out to every
 * connection, its updates appended through the group commit, unloaded when its last connection closes
 * (never while updates are unsaved).
 */
export class LiveDocument {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness: awarenessProtocol.Awareness;
	readonly peers = new Set<DocumentPeer>();
	/** Updates applied in memory but not yet handed to a commit. */
	pending: Uint8Array[] = [];
	/** State vector of everything committed to the database. */
	durableStateVector: Uint8Array;
	rowsSinceCompaction: number;
	compacting: Promise<void> | null = null;

	constructor(
		readonly pieceId: string,
		stored: { update: Uint8Array | null; updateRows: number },
		private onLocalChange: (doc: LiveDocument) => void
	) {
		if (stored.update) Y.applyUpdate(this.doc, stored.update, 'load');
		this.durableStateVector = Y.encodeStateVector(this.doc);
		this.rowsSinceCompaction = stored.updateRows;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null); // the server itself is not a participant
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== 'relay') {
				this.pending.push(update);
				this.onLocalChange(this);
			}
			for (const peer of this.peers) if (peer !== origin) peer.sendUpdate(update);
		});
		this.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
				const changed = [...added, ...updated, ...removed];
				if (changed.length === 0) return;
				const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
				for (const peer of this.peers) if (peer !== origin) peer.sendAwareness(update);
			}
		);
	}

	get hasUnsavedUpdates(): boolean {
		return this.pending.length > 0;
	}

	/** Called by the group commit once the batch holding everything up to `stateVector` is committed. */
	markDurable(stateVector: Uint8Array, rows: number): void {
		this.durableStateVector = stateVector;
		this.rowsSinceCompaction += rows;
		for (const peer of this.peers) peer.sendDurableAck(stateVector);
	}

	wantsCompaction(): boolean {
		return this.rowsSinceCompaction >= COMPACT_AFTER_ROWS && !this.compacting;
	}

	compact(store: DocumentStore): Promise<void> {
		if (this.compacting) return this.compacting;
		this.compacting = store
			.compact(this.pieceId)
			.then((merged) => {
				this.rowsSinceCompaction = Math.max(0, this.rowsSinceCompaction - merged);
			})
			.finally(() => {
				this.compacting = null;
			});
		return this.compacting;
	}

	destroy(): void {
		this.awareness.destroy();
		this.doc.destroy();
	}
}
