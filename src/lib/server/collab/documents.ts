import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentStore } from './persistence';
import { CaretColours } from './caret-colours';
import { DurableFrontier, clockRanges, type ClockRanges } from './durable-frontier';
import { ScratchCopy } from './scratch-copy';
import type { ConformanceReport } from './schema-conformance';

export { UpdateRefused, updateTimeBudgetMs } from './scratch-copy';
export { clockRanges } from './durable-frontier';

/** Anything the document fans out to: a websocket connection, or the Redis relay. */
export interface DocumentPeer {
	/** True for the relay to other processes: what it brings is persisted by the process it came from. */
	readonly remote?: boolean;
	sendUpdate(update: Uint8Array): void;
	sendAwareness(update: Uint8Array): void;
	/**
	 * More of the document is committed to the database. `stateVector` is everything durable now;
	 * `generation` is the highest local change generation (see LiveDocument.generation) now durable.
	 */
	durableAdvanced(stateVector: Uint8Array, generation: number, oldestRelayed: number): void;
	/** Relayed updates were taken over to be stored by this process, as generation `generation`. */
	relayedAdopted?(generation: number): void;
}

const COMPACT_AFTER_ROWS = 200;

/**
 * Per update emitted by a live document, the clock ranges of its structs, read off its transaction (the
 * update holds every struct from each client's clock before the transaction to its clock after): the
 * durable ack then needs no decode of what was stored (see markStored).
 */
const emittedRanges = new WeakMap<Uint8Array, ClockRanges>();

function transactionRanges(tr: Y.Transaction): ClockRanges {
	const ranges: ClockRanges = new Map();
	for (const [client, after] of tr.afterState) {
		const before = tr.beforeState.get(client) ?? 0;
		if (after > before) ranges.set(client, [[before, after]]);
	}
	return ranges;
}

/** The clock ranges of an update: known for those a live document emitted, else decoded. */
function rangesOf(update: Uint8Array): ClockRanges {
	return emittedRanges.get(update) ?? clockRanges(update);
}

/**
 * Stored bytes at least this large are kept after loading to answer sync step 1 without re-encoding the
 * state, unless they hold deleted content (merged rows keep the text of deletions; the live document, with
 * gc on, encodes them as a length only): see applyStored.
 */
const KEEP_LOADED_BYTES_FROM = 64 * 1024;
const KEEP_LOADED_BYTES_MS = 60_000;

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
	/**
	 * Counts the local changes appended to `pending` (what this process must store). A connection notes the
	 * generation its update produced; once `durableGeneration` reaches it, that update is committed, even
	 * when it was a pure deletion, which moves no Yjs clock and so cannot be told by the state vector alone.
	 */
	generation = 0;
	durableGeneration = 0;
	/**
	 * Updates relayed from another process, which stores them itself. Kept until its ack covers them;
	 * if that process dies first, we store them (see adoptOrphans), so nothing acknowledged-by-nobody is lost.
	 */
	private relayed: { update: Uint8Array; covers: Map<number, number>; at: number; seq: number }[] = [];
	private relayedSeq = 0;
	/** Per client, the clock up to which its updates are committed to the database (by any process). */
	private durable: DurableFrontier;
	rowsSinceCompaction: number;
	compacting: Promise<void> | null = null;
	/** The copy client updates are tried on before the live document (see applyClientUpdate). */
	private scratch = new ScratchCopy(() => this.updateFor(new Uint8Array([0]))); // [0]: the empty state vector
	/** True while an update already tried on the scratch copy is applied to the live document. */
	private applyingTried = false;
	/** The stored bytes this document was loaded from, while the document is unchanged since (large documents only). */
	private loadedBytes: Uint8Array | null = null;
	private loadedBytesTimer: NodeJS.Timeout | null = null;

	constructor(
		readonly pieceId: string,
		stored: { update: Uint8Array | null; updateRows: number },
		private onLocalChange: (doc: LiveDocument) => void
	) {
		const heldDeleted = stored.update ? applyStored(this.doc, stored.update) : false;
		// Only a compacted state row alone (update rows merged in keep the text of what they deleted, which a
		// viewer must not receive), and only when it holds no deleted content (a state compacted before
		// compaction dropped deleted text may still hold it): the bytes are then what encoding the state gives.
		if (stored.update && stored.updateRows === 0 && stored.update.length >= KEEP_LOADED_BYTES_FROM && !heldDeleted) {
			this.loadedBytes = stored.update;
			this.loadedBytesTimer = setTimeout(() => this.dropLoadedBytes(), KEEP_LOADED_BYTES_MS);
			this.loadedBytesTimer.unref();
		}
		this.loadedStateVector = Y.encodeStateVector(this.doc);
		this.durable = new DurableFrontier(Y.decodeStateVector(this.loadedStateVector));
		this.rowsSinceCompaction = stored.updateRows;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null); // the server itself is not a participant
		this.caretColours = new CaretColours(this.awareness);
		this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
			this.changedSinceLoad = true;
			if (this.loadedBytes) this.dropLoadedBytes();
			const ranges = transactionRanges(tr);
			emittedRanges.set(update, ranges);
			if (!(origin as DocumentPeer | null)?.remote) {
				this.pending.push(update);
				this.generation++;
				this.onLocalChange(this);
			} else {
				const covers = new Map([...ranges].map(([client, list]) => [client, list[list.length - 1][1]]));
				this.relayed.push({ update, covers, at: Date.now(), seq: ++this.relayedSeq });
			}
			if (!this.applyingTried) this.scratch.mirror(update);
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

	/**
	 * Apply a client's update: first to the scratch copy, timed, and only when that succeeded within the
	 * time budget without piling up structs that wait for missing dependencies, to the live document. A
	 * hostile update thus never touches the document everyone edits; it costs its sender the connection
	 * (UpdateRefused). `sections`: the sender may write only inside these sections (heading ids); an update
	 * writing elsewhere is refused as a whole (UpdateRefused `outside_sections`) and nothing of it applied.
	 */
	applyClientUpdate(update: Uint8Array, origin: DocumentPeer, sections: readonly string[] | null = null): { conformance: ConformanceReport } {
		const tried = this.scratch.tryUpdate(update, sections);
		this.applyingTried = true;
		try {
			// Corrected: the scratch transaction's update goes to everyone, the sender included (it holds what
			// was removed and needs the correction). Otherwise the client's own update, echoed to the others only.
			if (tried.corrected) Y.applyUpdate(this.doc, tried.corrected, 'server');
			else Y.applyUpdate(this.doc, update, origin);
		} finally {
			this.applyingTried = false;
		}
		// Structs that were waiting in the live document (relayed ones) and that this update released are in
		// the live document but not in the scratch copy, which mirrors only what the live one emits: start afresh.
		if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) this.scratch.drop();
		return { conformance: tried.conformance };
	}

	/** Caret colours of the people present (see CaretColours.join). */
	private caretColours: CaretColours;

	/** The caret colour a person shows in this document; call `leave` when the connection closes. */
	join(person: { id: string; color: string }): { colour: string; leave: () => void } {
		return this.caretColours.join(person);
	}

	/**
	 * The update a peer with `stateVector` lacks: the payload of our sync step 2. A client that has nothing
	 * yet, while the document is unchanged since it was loaded, gets the stored bytes as they are (a valid
	 * update of the same content), which saves encoding a large state on the first load.
	 */
	updateFor(stateVector: Uint8Array): Uint8Array {
		const store = this.doc.store;
		if (this.loadedBytes && store.pendingStructs === null && store.pendingDs === null && Y.decodeStateVector(stateVector).size === 0) {
			return this.loadedBytes;
		}
		return Y.encodeStateAsUpdate(this.doc, stateVector);
	}

	/** The state vector of the stored state this document was loaded from, and whether it changed since. */
	private readonly loadedStateVector: Uint8Array;
	private changedSinceLoad = false;

	/**
	 * What a client that holds the stored state this document was loaded from lacks (it was sent that state
	 * before the load decoded it: early-step.ts): nothing (an empty update) unless the document changed since.
	 */
	updateSinceLoad(): Uint8Array {
		return this.changedSinceLoad ? Y.encodeStateAsUpdate(this.doc, this.loadedStateVector) : new Uint8Array([0, 0]);
	}

	private dropLoadedBytes(): void {
		this.loadedBytes = null;
		if (this.loadedBytesTimer) clearTimeout(this.loadedBytesTimer);
		this.loadedBytesTimer = null;
	}

	/** The number of the latest update relayed from another process (they are numbered 1, 2, …). */
	get latestRelayed(): number {
		return this.relayedSeq;
	}

	/** The number of the oldest relayed update not yet acknowledged as stored by its process (Infinity: none). */
	get oldestRelayed(): number {
		return this.relayed.length ? this.relayed[0].seq : Infinity;
	}

	get hasUnsavedUpdates(): boolean {
		return this.pending.length > 0;
	}

	/**
	 * Store relayed updates that their process has not acknowledged within `olderThanMs` (it may have
	 * died), or all of them (unload). Yjs applies duplicates idempotently, so a late ack costs nothing.
	 */
	adoptOrphans(olderThanMs: number): boolean {
		const cutoff = Date.now() - olderThanMs;
		const orphans = this.relayed.filter((r) => r.at <= cutoff);
		if (orphans.length === 0) return false;
		this.relayed = this.relayed.filter((r) => r.at > cutoff);
		this.pending.push(...orphans.map((r) => r.update));
		this.generation++;
		for (const peer of this.peers) peer.relayedAdopted?.(this.generation);
		this.onLocalChange(this);
		return true;
	}

	/** Connections in this process (the relay is not one). */
	get connectionCount(): number {
		let n = 0;
		for (const peer of this.peers) if (!peer.remote) n++;
		return n;
	}

	/** Encoded state vector of everything committed to the database: the payload of the durable ack. */
	get durableStateVector(): Uint8Array {
		return this.durable.encode();
	}

	/**
	 * Record that updates covering `stateVector` are committed (by this process's group commit, or by
	 * another process, told through the relay), and tell the peers.
	 */
	markDurable(stateVector: Uint8Array, rows: number, from?: DocumentPeer): void {
		for (const [client, clock] of Y.decodeStateVector(stateVector)) this.durable.advance(client, 0, clock);
		this.afterDurable(rows, from);
	}

	/**
	 * Record that `stored` (an update, or the updates merged into one row: their structs, whatever clock they
	 * start at) was committed by this process. Not Y.encodeStateVectorFromUpdate: it reports only what starts
	 * at clock 0, i.e. nothing for an incremental update, so the ack would never advance past a client's
	 * first commit. The ranges of updates this document emitted are known without a decode (emittedRanges).
	 */
	markStored(stored: Uint8Array | readonly Uint8Array[], rows: number, generation: number): void {
		for (const update of stored instanceof Uint8Array ? [stored] : stored) {
			for (const [client, ranges] of rangesOf(update)) for (const [start, end] of ranges) this.durable.advance(client, start, end);
		}
		this.durableGeneration = Math.max(this.durableGeneration, generation);
		this.afterDurable(rows);
	}

	private afterDurable(rows: number, from?: DocumentPeer): void {
		this.rowsSinceCompaction += rows;
		if (this.relayed.length) {
			// A pure deletion covers no clock, so no ack can tell it was stored: it stays until adopted (and so
			// is stored by this process too; storing a deletion twice is harmless).
			this.relayed = this.relayed.filter((r) => r.covers.size === 0 || [...r.covers].some(([client, clock]) => this.durable.get(client) < clock));
		}
		const ack = this.durableStateVector;
		for (const peer of this.peers) if (peer !== from) peer.durableAdvanced(ack, this.durableGeneration, this.oldestRelayed);
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
		this.scratch.drop();
		this.dropLoadedBytes();
		this.awareness.destroy();
		this.doc.destroy();
	}
}

/**
 * Apply stored bytes to a fresh document; true when they held deleted content (text, elements, formats of
 * deleted items), which garbage collection then dropped. Bytes encoded from a garbage-collected document
 * hold every deleted item as a length only (ContentDeleted or GC): Yjs hands each deleted item of the
 * transaction to the document's gcFilter before collecting it, which tells the two apart at no extra cost.
 */
function applyStored(doc: Y.Doc, update: Uint8Array): boolean {
	let heldDeleted = false;
	const gcFilter = doc.gcFilter;
	doc.gcFilter = (item) => {
		if (!(item.content instanceof Y.ContentDeleted)) heldDeleted = true;
		return gcFilter(item);
	};
	try {
		Y.applyUpdate(doc, update, 'load');
	} finally {
		doc.gcFilter = gcFilter;
	}
	return heldDeleted;
}
