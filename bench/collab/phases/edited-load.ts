// Loading a large document built by editing, as a real piece grows: several writers type a few words per
// update, press Enter at the end of a paragraph or in its middle (a split: the tail deleted and inserted
// anew in the next paragraph), take characters back and delete words and now and then a whole paragraph.
// Thousands of updates, ~2,800 paragraphs, ~1 MB of text. Then a new client's load is timed: on Galley cold
// (everyone gone, the document unloaded: read from the database), on the in-memory servers warm (one writer
// stays connected, else the document is gone). Galley is also timed warm, for the comparison.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { CONFIG, progress, type TargetResult } from '../common';
import type { BenchClient } from '../clients';
import { ackTracker, bodyTextLength, closeSummary, connectAll } from '../documents';
import { percentiles, round, sleep } from '../stats';
import type { Target } from '../targets';

const WORDS = 'basin river gauge flow level rainfall upstream catchment reservoir outlook drought flood weekly bulletin station reading median normal above below watch'.split(' ');

/** A small deterministic generator, so every target gets the same kind of history. */
function prng(seed: number) {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 2 ** 32;
	};
}

interface Writer {
	client: BenchClient;
	rand: () => number;
	/** The paragraph this writer types in, and its text. */
	para: Y.XmlElement;
	text: Y.XmlText;
	/** This writer's own paragraphs (whole-paragraph deletions pick among them). */
	own: Y.XmlElement[];
}

function words(rand: () => number, chars: number): string {
	let s = '';
	while (s.length < chars) s += WORDS[Math.floor(rand() * WORDS.length)] + (rand() < 0.1 ? '. ' : ' ');
	return s.slice(0, chars);
}

function newParagraph(frag: Y.XmlFragment, after: Y.XmlElement | null, content: string): { para: Y.XmlElement; text: Y.XmlText } {
	const para = new Y.XmlElement('paragraph');
	const text = new Y.XmlText();
	const at = after ? frag.toArray().indexOf(after) + 1 : frag.length;
	frag.insert(at > 0 ? at : frag.length, [para]);
	para.insert(0, [text]);
	if (content) text.insert(0, content);
	return { para, text };
}

/** What the next step of `w` is, applied in one transaction (one update, one message). */
function step(w: Writer, paraLen: number, chunk: number, counts: Record<string, number>): void {
	const { rand } = w;
	const doc = w.client.doc;
	const frag = doc.getXmlFragment('body');
	doc.transact(() => {
		const len = w.text.length;
		const r = rand();
		if (len >= paraLen) {
			// Enter: mostly at the end, sometimes in the middle (the tail moves to the new paragraph).
			if (rand() < 0.8) {
				Object.assign(w, newParagraph(frag, w.para, ''));
				counts.splits_at_end++;
			} else {
				const at = Math.floor(len * (0.5 + rand() * 0.4));
				const tail = w.text.toString().slice(at);
				w.text.delete(at, len - at);
				Object.assign(w, newParagraph(frag, w.para, tail));
				counts.splits_in_middle++;
			}
			w.own.push(w.para);
		} else if (r < 0.04 && len > 10) {
			const n = 1 + Math.floor(rand() * 8); // backspace
			w.text.delete(len - n, n);
			counts.backspaces++;
		} else if (r < 0.05 && len > 60) {
			const n = 5 + Math.floor(rand() * 35); // a word or a phrase deleted in the middle
			const at = Math.floor(rand() * (len - n));
			w.text.delete(at, n);
			counts.middle_deletions++;
		} else if (r < 0.052 && w.own.length > 3) {
			// A whole paragraph of this writer's deleted.
			const i = Math.floor(rand() * (w.own.length - 1));
			const victim = w.own[i];
			const idx = frag.toArray().indexOf(victim);
			if (idx >= 0) {
				frag.delete(idx, 1);
				w.own.splice(i, 1);
				counts.paragraph_deletions++;
			}
		} else if (r < 0.15 && len > 20) {
			const s = words(rand, chunk); // typing in the middle of the paragraph
			w.text.insert(Math.floor(rand() * len), s);
			counts.typed_in_middle++;
		} else {
			const s = words(rand, chunk);
			w.text.insert(len, s);
			counts.typed_at_end++;
		}
	});
	counts.updates++;
}

export async function phaseEditedLoad(target: Target, out: TargetResult) {
	const bytes = CONFIG.doc_bytes;
	const paragraphs = CONFIG.edited_paragraphs;
	const W = CONFIG.edited_writers;
	const rate = CONFIG.edited_rate_per_writer;
	const chunk = CONFIG.edited_chunk_chars;
	// The text of a paragraph when Enter is pressed: the document ends near `bytes` characters in `paragraphs`.
	const paraLen = Math.round(bytes / paragraphs);
	progress(`${target.name}: edited-load phase, ~${Math.round(bytes / 1000)} kB in ~${paragraphs} paragraphs, ${W} writers at ${rate}/s, ${chunk} characters a word burst`);
	const [doc] = await target.createDocs(1);
	const clients: BenchClient[] = await connectAll(target, Array(W).fill(doc), W, 30_000);
	const res: TargetResult = {};
	out.edited_load = res;
	try {
		const counts: Record<string, number> = { updates: 0, typed_at_end: 0, typed_in_middle: 0, backspaces: 0, middle_deletions: 0, paragraph_deletions: 0, splits_at_end: 0, splits_in_middle: 0 };
		// Each writer starts its own paragraph (appended at the end); what it types goes there and after it.
		const writers: Writer[] = clients.map((client, i) => {
			const frag = client.doc.getXmlFragment('body');
			let made!: { para: Y.XmlElement; text: Y.XmlText };
			client.doc.transact(() => (made = newParagraph(frag, null, `Writer ${i}: `)));
			return { client, rand: prng(1000 + i), ...made, own: [made.para] };
		});
		const trackers = target.galley ? writers.map((w) => ackTracker(w.client, [])) : null;
		const t0 = performance.now();
		await Promise.all(
			writers.map(async (w, wi) => {
				let n = 0;
				const start = performance.now();
				// Until the document (as this writer sees it, the others' text included) holds `bytes` characters.
				let full = false;
				while (!full && w.client.closes.length === 0) {
					const allowed = Math.floor(((performance.now() - start) / 1000) * rate) + 1;
					while (n < allowed) {
						step(w, paraLen, chunk, counts);
						trackers?.[wi].sent(performance.now());
						n++;
					}
					full = bodyTextLength(w.client.doc) >= bytes;
					await sleep(4);
				}
			})
		);
		res.build_seconds = round((performance.now() - t0) / 1000, 1);
		Object.assign(res, counts);
		// Everyone converges (and on Galley everything is acknowledged as stored).
		const deadline = performance.now() + 60_000;
		const same = () => {
			const sv = Y.encodeStateVector(writers[0].client.doc);
			return writers.every((w) => Buffer.compare(Buffer.from(Y.encodeStateVector(w.client.doc)), Buffer.from(sv)) === 0);
		};
		while (performance.now() < deadline && (!same() || (trackers?.some((t) => t.pending > 0) ?? false))) await sleep(50);
		res.converged = same();
		if (trackers) res.all_acknowledged = trackers.every((t) => t.pending === 0);
		const reference = writers[0].client.doc;
		const expectedLen = bodyTextLength(reference);
		res.text_chars = expectedLen;
		res.paragraphs = reference.getXmlFragment('body').length;
		res.state_update_bytes = Y.encodeStateAsUpdate(reference).length;
		// BENCH_EDITED_SAVE: a file to write the document's state to (to profile loading it outside the bench).
		if (process.env.BENCH_EDITED_SAVE) fs.writeFileSync(process.env.BENCH_EDITED_SAVE, Y.encodeStateAsUpdate(reference));
		res.writer_closes = closeSummary(clients);

		const timeLoad = async (into: number[], openInto: number[], check: { intact: boolean }) => {
			const t = performance.now();
			const [c] = await connectAll(target, [doc], 1, 60_000);
			into.push(performance.now() - t);
			if (c.openedAt !== null) openInto.push(c.openedAt - t);
			if (bodyTextLength(c.doc) !== expectedLen) check.intact = false;
			c.destroy();
		};

		// Warm: one writer stays connected (the in-memory servers would otherwise drop the document).
		for (const w of writers.slice(1)) w.client.destroy();
		clients.splice(1);
		await sleep(300);
		const warm: number[] = [];
		const warmOpen: number[] = [];
		const warmCheck = { intact: true };
		for (let i = 0; i < CONFIG.edited_runs; i++) {
			await timeLoad(warm, warmOpen, warmCheck);
			await sleep(200);
		}
		res.warm_load_ms = percentiles(warm);
		res.warm_load_runs_ms = warm.map((x) => round(x, 1));
		res.warm_connect_to_open_runs_ms = warmOpen.map((x) => round(x, 1));
		res.warm_content_intact = warmCheck.intact;
		clients[0].destroy();
		clients.length = 0;
		if (!target.persistent) {
			res.cold_load_ms = null;
			res.cold_load_note = 'in-memory server: a document nobody has open is gone; compare cold_load_ms of Galley with warm_load_ms here';
			return;
		}

		// Cold: nobody connected, the document unloaded (its rows merged), then a new client.
		const waitForUnload = async (first: boolean) => {
			// On Postgres the unload's merge is visible: no update rows left. Else (PGlite, locked by the server) a wait.
			if (target.updateRows) {
				const d = performance.now() + 60_000;
				while (performance.now() < d && ((await target.updateRows(doc).catch(() => null)) ?? 0) > 0) await sleep(100);
			}
			await sleep(first ? Math.max(CONFIG.unload_wait_ms, CONFIG.edited_first_unload_wait_ms) : CONFIG.unload_wait_ms);
		};
		const cold: number[] = [];
		const coldOpen: number[] = [];
		const coldCheck = { intact: true };
		const rows: (number | null)[] = [];
		for (let i = 0; i < CONFIG.edited_runs; i++) {
			await waitForUnload(i === 0);
			if (target.updateRows) rows.push(await target.updateRows(doc).catch(() => null));
			await timeLoad(cold, coldOpen, coldCheck);
		}
		res.cold_load_ms = percentiles(cold);
		res.cold_load_runs_ms = cold.map((x) => round(x, 1));
		res.cold_connect_to_open_runs_ms = coldOpen.map((x) => round(x, 1));
		res.cold_content_intact = coldCheck.intact;
		if (rows.some((r) => r !== null)) res.update_rows_before_each_cold_load = rows;
		res.cold_load_measures = `${cold.length} loads, each after the document unloaded (nobody connected: on Postgres until its update rows were merged, then ${CONFIG.unload_wait_ms} ms; the first after ${Math.max(CONFIG.unload_wait_ms, CONFIG.edited_first_unload_wait_ms)} ms): from a new client's connect to its first sync`;
	} finally {
		for (const c of clients) c.destroy();
	}
}
