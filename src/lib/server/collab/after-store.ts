// What runs after a document was stored (the group commit's onStored): its relational projections are
// rebuilt and its update rows merged into its state, once editing pauses. The one place to hang the next
// after-store job; the CollabServer calls `stored` after each commit and `settle` before unloading.
import type { Database } from '../db/client';
import { writeProjections, type ProjectionOutcome } from '../content/projections';
import { jsonFromYDoc } from '../content/document';
import type { DocumentStore } from './persistence';
import type { LiveDocument } from './documents';
import { QuietSchedule } from './quiet-schedule';
import type { Logger } from '../log';

/** Projections are rebuilt after a second without a store, and at least every 10 s while stores go on. */
const PROJECTION_QUIET_MS = 1_000;
const PROJECTION_MAX_WAIT_MS = 10_000;
/**
 * Update rows are merged into the state once editing pauses for this long (LiveDocument.wantsCompaction),
 * however long the editing went on before…
 */
const COMPACTION_QUIET_MS = 2_000;
/** …or at once when this many pile up (a load merges every row: their number stays bounded). */
const COMPACT_NOW_ROWS = 2_000;

export class AfterStore {
	private projections = new QuietSchedule(PROJECTION_QUIET_MS, PROJECTION_MAX_WAIT_MS);
	private compactions = new QuietSchedule(COMPACTION_QUIET_MS, Infinity);
	private projecting = new Map<string, Promise<void>>();

	constructor(
		private db: Database,
		private store: DocumentStore,
		/** Is this still the loaded document of its piece? What waits is dropped otherwise. */
		private isLoaded: (live: LiveDocument) => boolean,
		private log: Logger,
		/** A rebuild changed what lists show (word count, "updated"): announce it (live/piece-events.ts). */
		private onListedChange: (pieceId: string, issueId: string | null) => void = () => {}
	) {}

	/**
	 * After a document was stored: rebuild its relational projections, and merge its update rows into its
	 * state. Both read the whole document and would hold up the fan-out of edits for milliseconds each time:
	 * they wait for editing to pause (during continuous editing, projections are rebuilt at least every 10 s,
	 * and rows are merged only past COMPACT_NOW_ROWS). What waits is dropped if the document unloads first
	 * (unloading does both itself).
	 */
	stored(live: LiveDocument): void {
		this.projections.touch(live.pieceId, () => this.isLoaded(live) && void this.project(live));
		if (live.rowsSinceCompaction >= COMPACT_NOW_ROWS) this.compact(live);
		else if (live.wantsCompaction()) this.compactions.touch(live.pieceId, () => this.isLoaded(live) && this.compact(live));
	}

	private compact(live: LiveDocument) {
		if (!live.wantsCompaction()) return;
		live.compact(this.store).catch((err) => this.log.warn({ pieceId: live.pieceId, err }, 'compaction failed'));
	}

	/**
	 * Rebuilds waiting for their turn: one at a time, each started in a new turn of the event loop. Every
	 * document edited at once reaches its 10 s deadline at once (200 documents: 200 rebuilds due in the same
	 * timer phase), and on PGlite a rebuild's statements all complete in microtasks, so run side by side they
	 * held the event loop for hundreds of milliseconds with no edit read or fanned out (the many-docs bench's
	 * p99). Taking turns, the edits that arrive meanwhile are handled between two rebuilds.
	 */
	private turns: (() => Promise<void>)[] = [];
	private takingTurns = false;

	private inTurn(job: () => Promise<void>): Promise<void> {
		return new Promise<void>((resolve) => {
			this.turns.push(() => job().finally(resolve));
			if (!this.takingTurns) void this.takeTurns();
		});
	}

	private async takeTurns(): Promise<void> {
		this.takingTurns = true;
		try {
			for (let job = this.turns.shift(); job; job = this.turns.shift()) {
				await new Promise<void>((resolve) => setImmediate(resolve));
				await job().catch(() => {});
			}
		} finally {
			this.takingTurns = false;
		}
	}

	private project(live: LiveDocument): Promise<void> {
		const previous = this.projecting.get(live.pieceId) ?? Promise.resolve();
		const next = previous.then(() => this.inTurn(async () => {
			try {
				const outcome: ProjectionOutcome = await writeProjections(this.db, live.pieceId, jsonFromYDoc(live.doc, live.pieceId));
				if (outcome?.listed) this.onListedChange(live.pieceId, outcome.issueId);
			} catch (err) {
				this.log.warn({ pieceId: live.pieceId, err }, 'projection failed; will be rebuilt at the next store');
			}
		}));
		this.projecting.set(live.pieceId, next);
		void next.finally(() => {
			if (this.projecting.get(live.pieceId) === next) this.projecting.delete(live.pieceId);
		});
		return next;
	}

	/** Before an unload: no merge waits any more (the unload merges itself). */
	cancelCompaction(pieceId: string): void {
		this.compactions.cancel(pieceId);
	}

	/** Rebuild the projection now if one waits, and let one already running (it reads the document) finish. */
	async flushProjection(live: LiveDocument): Promise<void> {
		if (this.projections.cancel(live.pieceId)) await this.project(live);
		await this.projecting.get(live.pieceId);
	}

	/** Shutdown: merges not started can wait; waiting projections are rebuilt by `flushProjection` first. */
	clearCompactions(): void {
		this.compactions.clear();
	}

	clearProjections(): void {
		this.projections.clear();
	}
}
