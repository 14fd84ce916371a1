import * as Y from 'yjs';
import { conformTransaction, type ConformanceReport } from './schema-conformance';
import { BODY_FRAGMENT } from '../content/document';
import { checkSectionUpdate, OutsideSections } from './section-guard';

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

/**
 * Why a client's update was not applied: it could not be (`undecodable`, `too_expensive`: the connection is
 * closed), or it writes outside the sections its sender may write in (`outside_sections`: refused, the
 * connection stays).
 */
export class UpdateRefused extends Error {
	constructor(
		readonly kind: 'undecodable' | 'too_expensive' | 'outside_sections',
		message: string
	) {
		super(message);
	}
}

/** What trying a client's update on the scratch copy gave. */
export interface TriedUpdate {
	/** What was corrected to conform the update to the editor schema (empty: nothing). */
	conformance: ConformanceReport;
	/** The scratch transaction's update (the client's update with the corrections), when something was corrected. */
	corrected: Uint8Array | null;
}

/**
 * A copy of a live document that client updates are tried on before the live one (see
 * LiveDocument.applyClientUpdate). Made at the first client update from `source` (the live document's
 * state), kept in step with every live change (`mirror`), dropped after SCRATCH_IDLE_MS without an update.
 */
export class ScratchCopy {
	private doc: Y.Doc | null = null;
	private lastUsed = 0;
	private timer: NodeJS.Timeout | null = null;

	constructor(private source: () => Uint8Array) {}

	/** A change of the live document that did not come through `tryUpdate`: the copy follows it. */
	mirror(update: Uint8Array): void {
		if (!this.doc) return;
		try {
			Y.applyUpdate(this.doc, update);
		} catch {
			this.drop(); // rebuilt from the live document at the next client update
		}
	}

	/**
	 * Apply a client's update to the copy, timed, with the corrections in the same transaction; throws
	 * UpdateRefused when it failed, took longer than its budget or piled up structs that wait for missing
	 * dependencies. (JavaScript cannot interrupt a running applyUpdate, so the budget is checked when it
	 * returns; the copy, which may be half-changed, is then thrown away.) With `sections` (a section-only
	 * contributor's heading ids), the update is also checked against them (section-guard.ts) and refused
	 * (`outside_sections`, the copy thrown away) when it writes anywhere else or leaves structs waiting for
	 * missing dependencies (they could be integrated later, by someone else's update, unchecked).
	 */
	tryUpdate(update: Uint8Array, sections: readonly string[] | null = null): TriedUpdate {
		const scratch = this.copy();
		const pendingBefore = sections && [scratch.store.pendingStructs, scratch.store.pendingDs];
		const started = performance.now();
		let conformance: ConformanceReport = new Map();
		let withCorrections: Uint8Array | null = null;
		const capture = (u: Uint8Array) => (withCorrections = u);
		try {
			// One transaction: the update, then its conformance to the editor schema (unsafe links included).
			scratch.transact((tr) => {
				Y.applyUpdate(scratch, update);
				if (pendingBefore) {
					if (scratch.store.pendingStructs !== pendingBefore[0] || scratch.store.pendingDs !== pendingBefore[1]) {
						throw new OutsideSections('an update that depends on content the server does not have');
					}
					checkSectionUpdate(tr, scratch.getXmlFragment(BODY_FRAGMENT), sections!);
				}
				conformance = conformTransaction(tr, scratch.getXmlFragment(BODY_FRAGMENT));
				// The transaction's update is encoded when it ends only if someone listens: only when corrected.
				if (conformance.size) scratch.on('update', capture);
			});
		} catch (err) {
			this.drop();
			if (err instanceof OutsideSections) throw new UpdateRefused('outside_sections', err.message);
			throw new UpdateRefused('undecodable', `update could not be applied: ${(err as Error).message ?? err}`);
		} finally {
			scratch.off('update', capture);
		}
		const took = performance.now() - started;
		if (took > updateTimeBudgetMs(update.length)) {
			this.drop();
			throw new UpdateRefused('too_expensive', `update took ${Math.round(took)} ms to apply`);
		}
		const waitingBytes = (scratch.store.pendingStructs?.update.length ?? 0) + (scratch.store.pendingDs?.length ?? 0);
		if (waitingBytes > MAX_PENDING_STRUCT_BYTES) {
			this.drop();
			throw new UpdateRefused('too_expensive', 'too much content waiting for missing dependencies');
		}
		return { conformance, corrected: conformance.size ? withCorrections : null };
	}

	private copy(): Y.Doc {
		this.lastUsed = Date.now();
		if (this.doc) return this.doc;
		// A guid of our own: Y.Doc's default is a random UUID (crypto), and nobody reads a scratch copy's guid.
		const scratch = new Y.Doc({ gc: true, guid: 'scratch' });
		// Nobody observes a scratch copy's types: its transactions need not build the events Yjs makes for each
		// type they changed and its parents (a fifth of a scratch transaction's time, by the many-documents
		// profile). Conformance and the section guard read the transaction itself, before it ends.
		scratch.on('beforeObserverCalls', skipTypeEvents);
		scratch.getXmlFragment(BODY_FRAGMENT); // typed before anything arrives: whatever a client sends into it is read as XML
		Y.applyUpdate(scratch, this.source());
		this.doc = scratch;
		this.timer = setInterval(() => {
			if (Date.now() - this.lastUsed >= SCRATCH_IDLE_MS) this.drop();
		}, SCRATCH_IDLE_MS / 2);
		this.timer.unref();
		return scratch;
	}

	drop(): void {
		this.doc?.destroy();
		this.doc = null;
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}
}

/**
 * See ScratchCopy.copy: the events of a transaction's changed types are not built (nobody observes them). What
 * Yjs 13.6's `_callObserver`s do besides building events is kept, for the same types: after a remote
 * transaction (a mirrored update), a text's or an array's search markers are reset, and a text holding formats
 * has its formats cleaned up.
 */
function skipTypeEvents(tr: Y.Transaction): void {
	if (!tr.local) {
		for (const type of tr.changed.keys()) {
			if (type._item !== null && type._item.deleted) continue;
			if ((type instanceof Y.Text || type instanceof Y.Array) && type._searchMarker) type._searchMarker.length = 0;
			if (type instanceof Y.Text && (type as unknown as { _hasFormatting: boolean })._hasFormatting) {
				(tr as unknown as { _needFormattingCleanup: boolean })._needFormattingCleanup = true;
			}
		}
	}
	tr.changed.clear();
}
