import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import type { DocumentStore } from './persistence';
import { CARET_COLORS } from '../../domain/people';
import { neutraliseUnsafeLinks, textsTouchedBy } from './unsafe-links';

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
 * A scratch copy is dropped after this long without a client update, so an idle document holds one copy
 * of its content, not two. Rebuilding it at the next update costs a state encode and apply (about 1.5 ms
 * for 10 kB, 15 ms for 1 MB), once per pause in the editing.
 */
const SCRATCH_IDLE_MS = 5_000;
/** Structs waiting for missing dependencies that one document may hold (hostile clients could pile them up). */
const MAX_PENDING_STRUCT_BYTES = 4 * 1024 * 1024;

/**
 * Time applying a client's update may take: 1 s plus 2 ms per KiB, at most 10 s. Generous on purpose:
 * a real keystroke takes microseconds and a 1 MB first sync well under a second, so only an update built
 * to be slow comes near it, not an honest edit on a busy machine. (Wall time: process.cpuUsage() costs
 * tens of microseconds a call, more than applying a keystroke.)
 */
export function updateTimeBudgetMs(bytes: number): number {
	return Math.min(10_000, 1_000 + (bytes / 1024) * 2);
}

/** Why a client's update was not applied. */
export class UpdateRefused extends Error {
	constructor(
		readonly kind: 'undecodable' | 'too_expensive',
		message: string
	) {
		super(message);
	}
}
/**
 * Stored bytes at least this large are kept after loading to answer sync step 1 without re-encoding the
 * state, unless they hold much deleted content (merged rows keep the text of deletions; the live document,
 * with gc on, encodes them as a length only): at most one deleted clock unit per 8 stored bytes.
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
	private durable = new Map<number, number>();
	rowsSinceCompaction: number;
	compacting: Promise<void> | null = null;
	/**
	 * A copy of the document that client updates are tried on before the live one (see applyClientUpdate).
	 * Made at the first client update, kept in step with every live change, dropped after a quiet minute.
	 */
	private scratch: Y.Doc | null = null;
	private scratchLastUsed = 0;
	private scratchTimer: NodeJS.Timeout | null = null;
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
		if (stored.update) Y.applyUpdate(this.doc, stored.update, 'load');
		// Only a compacted state row alone (update rows merged in keep the text of what they deleted, which a
		// viewer must not receive), and only with little deleted content (a state compacted before compaction
		// dropped deleted text may still hold it).
		if (stored.update && stored.updateRows === 0 && stored.update.length >= KEEP_LOADED_BYTES_FROM && deletedLength(this.doc) * 8 <= stored.update.length) {
			this.loadedBytes = stored.update;
			this.loadedBytesTimer = setTimeout(() => this.dropLoadedBytes(), KEEP_LOADED_BYTES_MS);
			this.loadedBytesTimer.unref();
		}
		this.durable = Y.decodeStateVector(Y.encodeStateVector(this.doc));
		this.rowsSinceCompaction = stored.updateRows;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null); // the server itself is not a participant
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (this.loadedBytes) this.dropLoadedBytes();
			if (!(origin as DocumentPeer | null)?.remote) {
				this.pending.push(update);
				this.generation++;
				this.onLocalChange(this);
			} else {
				this.relayed.push({ update, covers: clockEnds(update), at: Date.now(), seq: ++this.relayedSeq });
			}
			if (this.scratch && !this.applyingTried) {
				try {
					Y.applyUpdate(this.scratch, update);
				} catch {
					this.dropScratch(); // rebuilt from the live document at the next client update
				}
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

	/**
	 * Apply a client's update: first to the scratch copy, timed, and only when that succeeded within the
	 * time budget without piling up structs that wait for missing dependencies, to the live document. A
	 * hostile update thus never touches the document everyone edits; it costs its sender the connection.
	 * (JavaScript cannot interrupt a running applyUpdate, so the budget is checked when it returns; the
	 * scratch copy, which may be half-changed, is then thrown away.)
	 */
	applyClientUpdate(update: Uint8Array, origin: DocumentPeer): { linksNeutralised: number } {
		const scratch = this.scratchCopy();
		const started = performance.now();
		let linksNeutralised = 0;
		let withCorrections: Uint8Array | null = null;
		const capture = (u: Uint8Array) => (withCorrections = u);
		scratch.on('update', capture);
		try {
			// One transaction: the update, then the correction of unsafe links in the texts it touched.
			scratch.transact((tr) => {
				Y.applyUpdate(scratch, update);
				linksNeutralised = neutraliseUnsafeLinks(textsTouchedBy(tr));
			});
		} catch (err) {
			this.dropScratch();
			throw new UpdateRefused('undecodable', `update could not be applied: ${(err as Error).message ?? err}`);
		} finally {
			scratch.off('update', capture);
		}
		const took = performance.now() - started;
		if (took > updateTimeBudgetMs(update.length)) {
			this.dropScratch();
			throw new UpdateRefused('too_expensive', `update took ${Math.round(took)} ms to apply`);
		}
		const waitingBytes = (scratch.store.pendingStructs?.update.length ?? 0) + (scratch.store.pendingDs?.length ?? 0);
		if (waitingBytes > MAX_PENDING_STRUCT_BYTES) {
			this.dropScratch();
			throw new UpdateRefused('too_expensive', 'too much content waiting for missing dependencies');
		}
		this.applyingTried = true;
		try {
			// Corrected: the scratch transaction's update goes to everyone, the sender included (it holds the
			// unsafe link and needs the correction). Otherwise the client's own update, echoed to the others only.
			if (linksNeutralised && withCorrections) Y.applyUpdate(this.doc, withCorrections, 'server');
			else Y.applyUpdate(this.doc, update, origin);
		} finally {
			this.applyingTried = false;
		}
		// Structs that were waiting in the live document (relayed ones) and that this update released are in
		// the live document but not in the scratch copy, which mirrors only what the live one emits: start afresh.
		if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) this.dropScratch();
		return { linksNeutralised };
	}

	private scratchCopy(): Y.Doc {
		this.scratchLastUsed = Date.now();
		if (this.scratch) return this.scratch;
		const scratch = new Y.Doc({ gc: true });
		Y.applyUpdate(scratch, this.updateFor(new Uint8Array([0]))); // [0]: the empty state vector
		this.scratch = scratch;
		this.scratchTimer = setInterval(() => {
			if (Date.now() - this.scratchLastUsed >= SCRATCH_IDLE_MS) this.dropScratch();
		}, SCRATCH_IDLE_MS / 2);
		this.scratchTimer.unref();
		return scratch;
	}

	private dropScratch(): void {
		this.scratch?.destroy();
		this.scratch = null;
		if (this.scratchTimer) clearInterval(this.scratchTimer);
		this.scratchTimer = null;
	}

	/** Caret colour of each person present (by account id), with how many connections they have here. */
	private caretColours = new Map<string, { colour: string; connections: number }>();

	/**
	 * The caret colour a person shows in this document: their own colour, unless someone else present
	 * already shows it; then the first palette colour nobody here shows (colours come from an id hash, so
	 * two people can share one). "Present" includes the people on other processes whose presence has been
	 * relayed here (their awareness states carry the colour their process gave them). Call `leave` when
	 * the connection closes.
	 */
	join(person: { id: string; color: string }): { colour: string; leave: () => void } {
		let entry = this.caretColours.get(person.id);
		if (!entry) {
			const taken = new Set([...this.caretColours.values()].map((e) => e.colour));
			for (const state of this.awareness.getStates().values()) {
				const user = (state as { user?: { id?: unknown; color?: unknown } } | null)?.user;
				if (user && user.id !== person.id && typeof user.color === 'string') taken.add(user.color);
			}
			const colour = !taken.has(person.color) ? person.color : (CARET_COLORS.find((c) => !taken.has(c)) ?? person.color);
			entry = { colour, connections: 0 };
			this.caretColours.set(person.id, entry);
		}
		entry.connections++;
		const held = entry;
		let left = false;
		return {
			colour: held.colour,
			leave: () => {
				if (left) return;
				left = true;
				if (--held.connections === 0 && this.caretColours.get(person.id) === held) this.caretColours.delete(person.id);
			}
		};
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
		return encodeStateVectorMap(this.durable);
	}

	/**
	 * Record that updates covering `stateVector` are committed (by this process's group commit, or by
	 * another process, told through the relay), and tell the peers.
	 */
	markDurable(stateVector: Uint8Array, rows: number, from?: DocumentPeer): void {
		for (const [client, clock] of Y.decodeStateVector(stateVector)) this.advance(client, 0, clock);
		this.afterDurable(rows, from);
	}

	/**
	 * Record that `update` (its structs, whatever clock they start at) was committed by this process.
	 * Not Y.encodeStateVectorFromUpdate: it reports only what starts at clock 0, i.e. nothing for an
	 * incremental update, so the ack would never advance past a client's first commit.
	 */
	markStored(update: Uint8Array, rows: number, generation: number): void {
		for (const [client, ranges] of clockRanges(update)) for (const [start, end] of ranges) this.advance(client, start, end);
		this.durableGeneration = Math.max(this.durableGeneration, generation);
		this.afterDurable(rows);
	}

	/** Committed clock ranges not (yet) contiguous with the durable frontier of their client. */
	private beyond = new Map<number, [number, number][]>();

	/** The durable frontier of a client moves only over contiguous committed ranges (an ack means "all up to here"). */
	private advance(client: number, start: number, end: number): void {
		const frontier = this.durable.get(client) ?? 0;
		if (end <= frontier) return;
		const ranges = this.beyond.get(client) ?? [];
		ranges.push([start, end]);
		ranges.sort((a, b) => a[0] - b[0]);
		let f = frontier;
		const keep: [number, number][] = [];
		for (const [s, e] of ranges) {
			if (s <= f) f = Math.max(f, e);
			else keep.push([s, e]);
		}
		if (f > frontier) this.durable.set(client, f);
		if (keep.length) this.beyond.set(client, keep.filter(([, e]) => e > f));
		else this.beyond.delete(client);
	}

	private afterDurable(rows: number, from?: DocumentPeer): void {
		this.rowsSinceCompaction += rows;
		if (this.relayed.length) {
			// A pure deletion covers no clock, so no ack can tell it was stored: it stays until adopted (and so
			// is stored by this process too; storing a deletion twice is harmless).
			this.relayed = this.relayed.filter((r) => r.covers.size === 0 || [...r.covers].some(([client, clock]) => (this.durable.get(client) ?? 0) < clock));
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
		this.dropScratch();
		this.dropLoadedBytes();
		this.awareness.destroy();
		this.doc.destroy();
	}
}

/** How many clock units (characters, items) of the document are deleted. */
function deletedLength(doc: Y.Doc): number {
	let n = 0;
	for (const items of Y.createDeleteSetFromStructStore(doc.store).clients.values()) for (const item of items) n += item.len;
	return n;
}

/** Per client, the clock ranges [start, end) of the structs in an update (deletions and skips aside). */
export function clockRanges(update: Uint8Array): Map<number, [number, number][]> {
	const ranges = new Map<number, [number, number][]>();
	for (const struct of Y.decodeUpdate(update).structs) {
		if (struct instanceof Y.Skip) continue;
		const start = struct.id.clock;
		const end = start + struct.length;
		const list = ranges.get(struct.id.client) ?? [];
		const last = list[list.length - 1];
		if (last && last[1] === start) last[1] = end;
		else list.push([start, end]);
		ranges.set(struct.id.client, list);
	}
	return ranges;
}

/** Per client, the end of the highest clock range in an update. */
function clockEnds(update: Uint8Array): Map<number, number> {
	const ends = new Map<number, number>();
	for (const [client, list] of clockRanges(update)) ends.set(client, Math.max(...list.map(([, e]) => e)));
	return ends;
}

function encodeStateVectorMap(sv: Map<number, number>): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, sv.size);
	for (const [client, clock] of sv) {
		encoding.writeVarUint(encoder, client);
		encoding.writeVarUint(encoder, clock);
	}
	return encoding.toUint8Array(encoder);
}
