import * as Y from 'yjs';
import type { DocumentStore } from './persistence';
import type { LiveDocument } from './documents';

export interface GroupCommitOptions {
	/** How long updates gather before one commit. Short: an edit is durable well under a second. */
	windowMs?: number;
	/**
	 * Least time from the start of one commit to the start of the next. Under steady editing (many documents,
	 * or many writers) commits would otherwise follow each other every window, each storing a few updates;
	 * every statement has a fixed cost (on PGlite, main-thread time the fan-out waits for), so the commits
	 * are spaced to store more updates each. An edit after a pause still waits only `windowMs`.
	 */
	minIntervalMs?: number;
	/**
	 * Added to `minIntervalMs` per document the last commit stored, up to `maxIntervalMs`: with many documents
	 * edited at once, every commit stores rows of many documents, and a statement, its round trip and its
	 * acks cost about the same for 30 rows as for 3 (the many-documents bench: 200 documents, 400 edits/s).
	 */
	intervalPerDocumentMs?: number;
	maxIntervalMs?: number;
	onError?: (err: unknown, attempt: number) => void;
	/** Called after a document's updates were committed. */
	onStored?: (doc: LiveDocument) => void;
}

/**
 * One commit for what arrived in the last few milliseconds, across all documents. A failed commit is
 * retried with backoff for as long as there are unsaved updates; nothing is dropped.
 */
export class GroupCommit {
	private dirty = new Set<LiveDocument>();
	private timer: NodeJS.Timeout | null = null;
	private running: Promise<void> | null = null;
	private failures = 0;
	private idleWaiters: (() => void)[] = [];
	private readonly windowMs: number;
	private readonly minIntervalMs: number;
	private readonly intervalPerDocumentMs: number;
	private readonly maxIntervalMs: number;
	/** Documents the last commit stored. */
	private lastDocuments = 0;
	/** performance.now() when the last commit started. */
	private lastStart = -Infinity;

	constructor(
		private store: DocumentStore,
		private opts: GroupCommitOptions = {}
	) {
		this.windowMs = opts.windowMs ?? 5;
		this.minIntervalMs = opts.minIntervalMs ?? 15;
		this.intervalPerDocumentMs = opts.intervalPerDocumentMs ?? 2;
		this.maxIntervalMs = Math.max(this.minIntervalMs, opts.maxIntervalMs ?? 40);
	}

	schedule(doc: LiveDocument): void {
		this.dirty.add(doc);
		this.arm(this.nextDelay());
	}

	/** The window, or longer when the last commit started less than its interval ago (see intervalPerDocumentMs). */
	private nextDelay(): number {
		const interval = Math.min(this.maxIntervalMs, this.minIntervalMs + this.intervalPerDocumentMs * this.lastDocuments);
		return Math.max(this.windowMs, this.lastStart + interval - performance.now());
	}

	private arm(delay: number): void {
		if (this.timer || this.running) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.lastStart = performance.now();
			this.running = this.flushOnce().finally(() => {
				this.running = null;
				if (this.dirty.size > 0) {
					// spaced out, unless someone waits for everything to be stored (an unload, shutdown): then the window
					const delay = this.idleWaiters.length ? this.windowMs : this.nextDelay();
					this.arm(this.failures ? Math.min(5000, 100 * 2 ** Math.min(this.failures, 6)) : delay);
				} else {
					this.idleWaiters.splice(0).forEach((resolve) => resolve());
				}
			});
		}, delay);
	}

	private async flushOnce(): Promise<void> {
		const docs = [...this.dirty];
		this.dirty.clear();
		const taken = docs.map((doc) => {
			const updates = doc.pending;
			const generation = doc.generation;
			doc.pending = [];
			const merged = updates.length === 0 ? null : updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
			return { doc, updates, merged, generation };
		});
		const rows = taken.flatMap(({ doc, merged }) => (merged ? [{ pieceId: doc.pieceId, update: merged }] : []));
		this.lastDocuments = rows.length;
		try {
			await this.store.append(rows);
			this.failures = 0;
		} catch (err) {
			this.failures++;
			this.opts.onError?.(err, this.failures);
			// Put the updates back in front of anything that arrived meanwhile, and try again later.
			for (const { doc, updates } of taken) {
				doc.pending = [...updates, ...doc.pending];
				if (doc.pending.length) this.dirty.add(doc);
			}
			return;
		}
		for (const { doc, updates, merged, generation } of taken) {
			// The ack covers exactly what this commit stored (plus what was durable before).
			if (merged) {
				doc.markStored(updates, 1, generation);
				this.opts.onStored?.(doc);
			}
		}
	}

	/** Resolves when nothing is pending (used by unload and shutdown). */
	idle(): Promise<void> {
		if (!this.timer && !this.running && this.dirty.size === 0) return Promise.resolve();
		if (this.timer && !this.running && this.failures === 0) {
			// flush now rather than waiting out the window
			clearTimeout(this.timer);
			this.timer = null;
			this.arm(0);
		}
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
