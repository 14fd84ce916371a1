// RSS per idle document and per connection: documents with a paragraph each, one client each, then more.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { CONFIG, progress, type TargetResult } from '../common';
import type { BenchClient } from '../clients';
import { addParagraph, closeSummary, connectAll } from '../documents';
import { collectGarbage, readRssKb } from '../machine';
import { median, percentiles, round, sleep, withTimeout } from '../stats';
import type { Target } from '../targets';

export async function phaseRss(target: Target, out: TargetResult, documents: number) {
	const perDoc = CONFIG.clients_per_document;
	progress(`${target.name}: RSS phase, ${documents} documents x ${perDoc} clients`);
	const tc = performance.now();
	const docs = await withTimeout(target.createDocs(documents), 120_000, 'create documents');
	out.rss_create_documents_s = round((performance.now() - tc) / 1000, 1);
	const pid = target.server.pid;
	// RSS moves with the garbage collector: collect garbage twice (through the inspector), then take the
	// median of a few samples; also the V8 heap in use after the collection.
	const heap: (number | null)[] = [];
	const sampleRss = async (ms: number) => {
		await sleep(ms / 2);
		await collectGarbage(target.server.inspectorUrl);
		heap.push((await collectGarbage(target.server.inspectorUrl))?.usedKb ?? null);
		const xs: number[] = [];
		for (let i = 0; i < 3; i++) {
			await sleep(ms / 6);
			xs.push(readRssKb(pid));
		}
		return median(xs)!;
	};
	const before = await sampleRss(2000);
	const firstSync: number[] = [];
	const all: BenchClient[] = [];
	try {
		const ta = performance.now();
		// Editors with presence (a user field, as TipTap's caret sets): realistic, and the awareness renewals
		// (every 15 s) keep the stock client's 30 s no-message watchdog quiet while the phase runs.
		const first = await connectAll(target, docs, 20, 150_000, firstSync, true);
		first.forEach((c, i) => c.setPresence('user', { name: `Idle ${i}` }));
		out.rss_connect_first_clients_s = round((performance.now() - ta) / 1000, 1);
		all.push(...first);
		// What a document holds before our paragraph (Galley creates pieces from a template; others start empty).
		out.rss_document_initial_update_bytes = Math.round(first.reduce((a, c) => a + Y.encodeStateAsUpdate(c.doc).length, 0) / first.length);
		docs.forEach((_, i) => addParagraph(first[i].doc, `Idle document ${i}: a short paragraph so the document is not empty.`));
		const afterFirst = await sampleRss(2000);
		const moreSync: number[] = [];
		const tb = performance.now();
		const more = await connectAll(
			target,
			docs.flatMap((d) => Array.from({ length: perDoc - 1 }, () => d)),
			20,
			150_000,
			moreSync,
			true
		);
		more.forEach((c, i) => c.setPresence('user', { name: `Idle more ${i}` }));
		out.rss_connect_more_clients_s = round((performance.now() - tb) / 1000, 1);
		all.push(...more);
		const after = await sampleRss(3000);
		const connections = documents * perDoc;
		Object.assign(out, {
			rss_documents: documents,
			rss_connections: connections,
			rss_before_kb: before,
			rss_after_first_client_kb: afterFirst,
			rss_after_kb: after,
			rss_per_document_kb: round((after - before) / documents, 1),
			rss_per_connection_kb: round((after - before) / connections, 1),
			rss_marginal_per_document_with_one_client_kb: round((afterFirst - before) / documents, 1),
			rss_marginal_per_extra_connection_kb: round((after - afterFirst) / (connections - documents), 1),
			rss_gc_forced: heap.every((h) => h !== null),
			js_heap_used_before_after_first_after_kb: heap,
			js_heap_per_document_kb: heap.every((h) => h !== null) ? round((heap[2]! - heap[0]!) / documents, 1) : null,
			js_heap_per_connection_kb: heap.every((h) => h !== null) ? round((heap[2]! - heap[0]!) / connections, 1) : null,
			connect_to_sync_first_client_ms: percentiles(firstSync),
			connect_to_sync_more_clients_ms: percentiles(moreSync),
			rss_phase_closes: closeSummary(all)
		});
		// Everyone leaves: an idle document nobody has open should hold nothing (on Galley, once it unloaded).
		for (const c of all) c.destroy();
		all.length = 0;
		await sleep(target.galley ? CONFIG.unload_wait_ms + 2000 : 1000);
		const closed = await sampleRss(2000);
		Object.assign(out, {
			rss_after_all_closed_kb: closed,
			rss_after_all_closed_above_before_kb: closed - before,
			js_heap_after_all_closed_above_before_kb: heap.length === 4 && heap[3] !== null && heap[0] !== null ? heap[3]! - heap[0]! : null
		});
	} finally {
		for (const c of all) c.destroy();
	}
	await sleep(target.galley ? 3000 : 1000); // let documents unload before the next phase
}
