// The document registry: one LiveDocument per open piece, loaded once (with the load repairs), and unloaded
// once nobody is connected and everything is stored, merged and projected. The CollabServer attaches
// connections through `use`; imports and restores use `use` and `release`.
import * as Y from 'yjs';
import { LiveDocument } from './documents';
import type { DocumentStore } from './persistence';
import type { GroupCommit } from './group-commit';
import type { AfterStore } from './after-store';
import type { CollabRelay } from './relay';
import { repairOnLoad } from './load-repairs';
import type { Logger } from '../log';


/** `use` was called while the server shuts down: nothing is loaded any more. */
export class ServerStopping extends Error {
	constructor() {
		super('the server is shutting down');
	}
}

/**
 * Stored states at least this large that may reach a client before they are decoded (StoredDocument.clean)
 * are offered to the connections waiting for the load (whenStoredAhead): decoding a large state takes the
 * server tens of milliseconds, which the new client otherwise waits out before decoding it too.
 */
const SEND_AHEAD_FROM = 64 * 1024;

export class DocumentRegistry {
	private documents = new Map<string, Promise<LiveDocument>>();
	/** Stored states read by a load under way that may be sent before they are decoded, by piece. */
	private storedAhead = new Map<string, Uint8Array>();
	private aheadWatchers = new Map<string, Set<(state: Uint8Array) => void>>();
	/** The documents of `documents` that have finished loading. */
	private loaded = new Map<string, LiveDocument>();
	private unloading = new Map<string, Promise<void>>();
	/** Set by `stop`: nothing loads any more, and an unload that gave up is not tried again. */
	stopping = false;

	constructor(
		private store: DocumentStore,
		private commits: GroupCommit,
		private afterStore: AfterStore,
		private relay: CollabRelay | null,
		private log: Logger
	) {}

	get size(): number {
		return this.documents.size;
	}

	/** Is this still the loaded document of its piece? */
	isLoaded(live: LiveDocument): boolean {
		return this.loaded.get(live.pieceId) === live;
	}

	/** The loaded document of the piece, if any (none while it loads). */
	loadedDocument(pieceId: string): LiveDocument | undefined {
		return this.loaded.get(pieceId);
	}

	/** Every loaded document. */
	loadedDocuments(): IterableIterator<LiveDocument> {
		return this.loaded.values();
	}

	/** Every document loaded or loading, once loaded (those whose load failed are left out). */
	async *openDocuments(): AsyncGenerator<LiveDocument> {
		for (const entry of [...this.documents.values()]) {
			const live = await entry.catch(() => null);
			if (live) yield live;
		}
	}

	/** The piece's document once loaded, if it is open or loading (null when its load failed). */
	async ifOpen(pieceId: string): Promise<LiveDocument | null> {
		const entry = this.documents.get(pieceId);
		return entry ? entry.catch(() => null) : null;
	}

	/**
	 * Run `act` on the piece's live document (loaded once; see `open`) in the same tick in which it is
	 * confirmed to be the loaded one. Awaiting `open` alone is not enough: an unload may finish between the
	 * load's promise settling and the awaiting code resuming, and what is then done to the document (a
	 * connection attached, an import applied) would go to one that is being destroyed and never be stored.
	 * Whoever keeps the document past `use` without a connection calls `release` when done.
	 */
	async use<T>(pieceId: string, act: (live: LiveDocument) => T): Promise<T> {
		for (;;) {
			if (this.stopping) throw new ServerStopping();
			const live = await this.open(pieceId);
			if (this.isLoaded(live)) return act(live);
			await this.unloading.get(pieceId);
		}
	}

	/**
	 * Get the live document, loading it once. A load error rejects; it never creates an empty document.
	 * The document may be unloading by the time the caller resumes: use `use` to act on it.
	 */
	private open(pieceId: string): Promise<LiveDocument> {
		let entry = this.documents.get(pieceId);
		if (!entry) {
			const pendingUnload = this.unloading.get(pieceId) ?? Promise.resolve();
			entry = pendingUnload.then(async () => {
				const stored = await this.store.load(pieceId);
				if (stored.clean && stored.update && stored.update.length >= SEND_AHEAD_FROM) {
					this.storedAhead.set(pieceId, stored.update);
					for (const serve of this.aheadWatchers.get(pieceId) ?? []) serve(stored.update);
					// the sockets take the state before the decode below holds the event loop
					await new Promise<void>((resolve) => setImmediate(resolve));
				}
				try {
					const live = new LiveDocument(pieceId, stored, (doc) => this.commits.schedule(doc));
					await this.relay?.attach(live);
					repairOnLoad(live, this.log.child({ pieceId })); // before any client gets the document (those sent the state ahead get what it changed)
					this.loaded.set(pieceId, live);
					return live;
				} finally {
					this.storedAhead.delete(pieceId);
				}
			});
			this.documents.set(pieceId, entry);
			entry.catch(() => this.documents.delete(pieceId));
		}
		return entry;
	}

	/**
	 * Call `serve` with the piece's stored state if a load under way read one that may reach a client before
	 * it is decoded (now if it is known, else when the load reads it). Returns the function that stops watching.
	 */
	whenStoredAhead(pieceId: string, serve: (state: Uint8Array) => void): () => void {
		const known = this.storedAhead.get(pieceId);
		if (known) serve(known);
		let watchers = this.aheadWatchers.get(pieceId);
		if (!watchers) this.aheadWatchers.set(pieceId, (watchers = new Set()));
		watchers.add(serve);
		return () => {
			watchers.delete(serve);
			if (watchers.size === 0 && this.aheadWatchers.get(pieceId) === watchers) this.aheadWatchers.delete(pieceId);
		};
	}

	/**
	 * Unload the document once nobody is connected and everything is stored. Only the document currently
	 * loaded for its piece (a late `release` of one already unloaded must not touch its successor). When
	 * the unload gives up because someone came and left, or an edit arrived meanwhile, it is tried again.
	 */
	maybeUnload(live: LiveDocument): void {
		if (!this.isLoaded(live) || live.connectionCount > 0 || this.unloading.has(live.pieceId)) return;
		const unload = (async () => {
			// Relayed updates whose process has not acknowledged them yet are stored here as well.
			live.adoptOrphans(0);
			// Never unload with unsaved updates: wait for the commit (retried until it succeeds).
			while (live.hasUnsavedUpdates) await this.commits.idle();
			await this.commits.idle();
			if (live.connectionCount > 0) return; // someone came back meanwhile
			this.afterStore.cancelCompaction(live.pieceId);
			try {
				// one already running may have read the rows before the last commit: merge again after it
				while (live.compacting) await live.compacting.catch(() => {});
				await live.compact(this.store);
			} catch (err) {
				this.log.warn({ pieceId: live.pieceId, err }, 'compaction on unload failed; rows kept');
			}
			if (live.connectionCount > 0 || live.hasUnsavedUpdates) return;
			await this.afterStore.flushProjection(live); // a waiting one now; one already running reads the document: let it finish first
			if (live.connectionCount > 0 || live.hasUnsavedUpdates) return;
			this.documents.delete(live.pieceId);
			this.loaded.delete(live.pieceId);
			await this.relay?.detach(live);
			// Relayed until the detach and not acknowledged yet by their process: stored here too (twice is harmless).
			if (live.adoptOrphans(0)) await this.commits.idle();
			live.destroy();
		})()
			.catch((err) => this.log.warn({ pieceId: live.pieceId, err }, 'unloading a document failed'))
			.finally(() => {
				this.unloading.delete(live.pieceId);
				// Whoever came and left meanwhile found this unload under way: try again for them.
				if (!this.stopping) this.maybeUnload(live);
			});
		this.unloading.set(live.pieceId, unload);
	}

	/** The unloads under way (shutdown waits for them). */
	unloads(): Promise<void>[] {
		return [...this.unloading.values()];
	}

	/** The current state of a piece: from memory when it is open, else from the database. */
	async readState(pieceId: string): Promise<Uint8Array | null> {
		const live = await this.ifOpen(pieceId);
		if (live) return Y.encodeStateAsUpdate(live.doc);
		return (await this.store.load(pieceId)).update;
	}
}
