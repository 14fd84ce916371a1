// Loading a large document: warm (in memory), cold after it unloaded and, on Galley, after a restart.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { CONFIG, progress, type TargetResult } from '../common';
import type { BenchClient } from '../clients';
import { ackTracker, bodyTextLength, connectAll } from '../documents';
import { median, round, sleep } from '../stats';
import type { Target } from '../targets';

export async function phaseLoad(target: Target, out: TargetResult) {
	const bytes = CONFIG.doc_bytes;
	progress(`${target.name}: load phase, ~${Math.round(bytes / 1000)} kB document`);
	const [doc, warmDoc] = await target.createDocs(2);
	const [filler] = await connectAll(target, [doc], 1, 30_000);
	const clients: BenchClient[] = [filler];
	try {
		// ~1 MB of text: paragraphs of ~1000 characters, 25 per transaction (one message each).
		const paraLen = 1000;
		const paragraphs = Math.ceil(bytes / paraLen);
		const tracker: number[] = [];
		const acker = target.galley ? ackTracker(filler, tracker) : null;
		const base = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';
		const fillStart = performance.now();
		for (let i = 0; i < paragraphs; i += 25) {
			const frag = filler.doc.getXmlFragment('body');
			filler.doc.transact(() => {
				for (let j = i; j < Math.min(paragraphs, i + 25); j++) {
					const p = new Y.XmlElement('paragraph');
					frag.insert(frag.length, [p]);
					const t = new Y.XmlText();
					p.insert(0, [t]);
					t.insert(0, `${j} `.padEnd(paraLen, base));
				}
			});
			await sleep(5);
		}
		const fillSent = performance.now();
		acker?.sent(fillSent);
		const expectedLen = bodyTextLength(filler.doc);
		out.load_doc_text_chars = expectedLen;
		out.load_doc_update_bytes = Y.encodeStateAsUpdate(filler.doc).length;
		if (acker) {
			const d = performance.now() + 5_000;
			while (performance.now() < d && acker.pending > 0) await sleep(10);
			out.load_fill_ack_coverage = `own clock ${acker.ownClock}, highest covered by any ack ${acker.highestCovered}`;
			out.load_fill_ack_after_last_edit_ms = acker.pending > 0 ? null : round(tracker[0] ?? NaN, 0);
			out.load_fill_seconds = round((fillSent - fillStart) / 1000, 2);
		} else {
			await sleep(1000);
		}

		// Warm: the document is in memory (the filler is still connected).
		const warm: number[] = [];
		const warmOpen: number[] = [];
		for (let i = 0; i < 3; i++) {
			const t = performance.now();
			const [c] = await connectAll(target, [doc], 1, 30_000);
			warm.push(performance.now() - t);
			if (c.openedAt !== null) warmOpen.push(c.openedAt - t);
			if (bodyTextLength(c.doc) !== expectedLen) out.load_warm_content_mismatch = true;
			c.destroy();
			await sleep(200);
		}
		out.warm_load_1mb_ms = round(median(warm)!, 1);
		out.warm_load_1mb_runs_ms = warm.map((x) => round(x, 1));
		out.warm_load_1mb_connect_to_open_runs_ms = warmOpen.map((x) => round(x, 1));
		filler.destroy();
		clients.length = 0;

		if (!target.persistent) {
			out.cold_load_1mb_ms = null;
			out.cold_load_note = 'in-memory server without persistence: a document that unloads is gone, so there is no cold load';
			return;
		}

		// Cold after unload: nobody connected for a while, the document leaves memory; then a fresh client.
		const cold: number[] = [];
		const coldOpen: number[] = [];
		const rowsAfterUnload: (number | null)[] = [];
		let intact = true;
		for (let i = 0; i < CONFIG.cold_load_runs; i++) {
			await sleep(CONFIG.unload_wait_ms);
			if (target.updateRows) rowsAfterUnload.push(await target.updateRows(doc).catch(() => null));
			const t = performance.now();
			const [c] = await connectAll(target, [doc], 1, 30_000);
			cold.push(performance.now() - t);
			if (c.openedAt !== null) coldOpen.push(c.openedAt - t);
			if (bodyTextLength(c.doc) !== expectedLen) intact = false;
			c.destroy();
		}
		out.cold_load_1mb_ms = round(median(cold)!, 1);
		out.cold_load_1mb_runs_ms = cold.map((x) => round(x, 1));
		out.cold_load_1mb_measures = `median of ${cold.length} loads, each after the document unloaded (nobody connected for ${CONFIG.unload_wait_ms} ms), same process: from a new client's connect to its first sync (upgrade, read from the database, sync step 2, the client applying ~${Math.round(bytes / 1000)} kB)`;
		// Where the time goes: connect to websocket open (upgrade: authentication, rights) vs open to synced
		// (loading the document from the database, then the sync exchange).
		out.cold_load_1mb_connect_to_open_runs_ms = coldOpen.map((x) => round(x, 1));
		out.cold_load_unload_wait_ms = CONFIG.unload_wait_ms;
		out.cold_load_content_intact = intact;
		if (rowsAfterUnload.some((r) => r !== null)) out.update_rows_of_1mb_piece_after_unload = rowsAfterUnload;

		// Cold after a restart: a new process. First a small piece (JIT, first queries), then the 1 MB one.
		if (target.restart) {
			await sleep(1000);
			const rs = await target.restart();
			out.restart = rs;
			const t1 = performance.now();
			const [w] = await connectAll(target, [warmDoc], 1, 30_000);
			out.first_connect_after_restart_small_doc_ms = round(performance.now() - t1, 1);
			w.destroy();
			await sleep(300);
			const t2 = performance.now();
			const [c] = await connectAll(target, [doc], 1, 60_000);
			out.cold_load_after_restart_1mb_ms = round(performance.now() - t2, 1);
			if (c.openedAt !== null) out.cold_load_after_restart_connect_to_open_ms = round(c.openedAt - t2, 1);
			out.cold_load_after_restart_content_intact = bodyTextLength(c.doc) === expectedLen;
			c.destroy();
		}
	} finally {
		for (const c of clients) c.destroy();
	}
}
