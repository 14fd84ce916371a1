// A fleet: many documents, a few stock clients on each, one writer per document; edits at a fixed rate in
// all, spread evenly over the writers; each edit timed at the other clients of its document and, on Galley,
// to its durable ack. Shared by the many-docs and idle-crowd phases.
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import type { TargetResult } from './common';
import type { BenchClient } from './clients';
import { ackTracker, addParagraph, closeSummary, connectAll, makeEdit, observeArrivals } from './documents';
import { readCpuMs, readRssKb } from './machine';
import { median, percentiles, round, sleep } from './stats';
import type { Target } from './targets';

export interface Fleet {
	docs: string[];
	/** Per document, its clients: the first writes, the others read. */
	clients: BenchClient[][];
	destroy(): void;
}

/** Connect `perDoc` clients to each of `docs` (at most 20 connecting at once) and wait until all are synced. */
export async function connectFleet(target: Target, docs: string[], perDoc: number, presence: boolean, syncTimes?: number[]): Promise<Fleet> {
	const flat = await connectAll(
		target,
		docs.flatMap((d) => Array.from({ length: perDoc }, () => d)),
		20,
		300_000,
		syncTimes,
		presence
	);
	// connectAll pushes clients as they start, in the order of `docs`: group them back per document.
	const clients = docs.map((_, i) => flat.slice(i * perDoc, (i + 1) * perDoc));
	if (presence) flat.forEach((c, i) => c.setPresence('user', { name: `Fleet ${i}` }));
	return { docs, clients, destroy: () => flat.forEach((c) => c.destroy()) };
}

export interface FleetRun {
	latencies: number[];
	ackLatencies: number[];
	edits: number;
	expected: number;
	observed: number;
	ackMissing: number | null;
	serverCpuMs: number;
	durationMs: number;
	/** Server RSS sampled once a second during the second half of the send window. */
	rssUnderLoadKb: number | null;
	clientLoopDelayP99Ms: number;
	closes: TargetResult[string];
}

/**
 * Edits at `rate` per second in all for `seconds`, the k-th by writer k mod (number of documents), each
 * timed at every other client of its document. Waits up to 10 s after the last send for what is missing.
 */
export async function driveFleet(target: Target, fleet: Fleet, rate: number, seconds: number, prefix: string): Promise<FleetRun> {
	const writers = fleet.clients.map((cs) => cs[0]);
	const texts = writers.map((w, i) => addParagraph(w.doc, `Fleet writer ${i}: `));
	const markers = writers.map((w) => w.doc.getMap<number>('bench'));
	const latencies: number[] = [];
	const ackLatencies: number[] = [];
	let observed = 0;
	const unobserve: (() => void)[] = [];
	for (const cs of fleet.clients) {
		for (const r of cs.slice(1)) {
			unobserve.push(
				observeArrivals(r, prefix, (ms) => {
					latencies.push(ms);
					observed++;
				})
			);
		}
	}
	const trackers = target.galley ? writers.map((w) => ackTracker(w, ackLatencies)) : null;
	await sleep(500); // the paragraphs above reach everyone first
	const total = Math.round(rate * seconds);
	const period = 1000 / rate;
	const loopDelay = monitorEventLoopDelay({ resolution: 5 });
	const rssSamples: number[] = [];
	const start = performance.now() + 50;
	const rssTimer = setInterval(() => {
		if (performance.now() - start >= (seconds * 1000) / 2) rssSamples.push(readRssKb(target.server.pid));
	}, 1000);
	const cpu0 = readCpuMs(target.server.pid);
	loopDelay.enable();
	let sent = 0;
	try {
		while (sent < total) {
			const due = start + sent * period;
			const wait = due - performance.now();
			if (wait > 0) await sleep(wait);
			// everything due by now (a late wake-up sends what it owes at once, as the single-document phase does)
			const now = performance.now();
			while (sent < total && start + sent * period <= now) {
				const wi = sent % writers.length;
				const t0 = makeEdit(writers[wi].doc, texts[wi], markers[wi], `${prefix}${wi}:${sent}`, 'ab ');
				trackers?.[wi].sent(t0);
				sent++;
			}
		}
	} finally {
		clearInterval(rssTimer);
	}
	const expected = fleet.clients.reduce((a, cs, i) => a + (cs.length - 1) * Math.floor((total - i + writers.length - 1) / writers.length), 0);
	const deadline = performance.now() + 10_000;
	while (performance.now() < deadline && (observed < expected || (trackers && trackers.some((t) => t.pending > 0)))) await sleep(50);
	loopDelay.disable();
	const serverCpuMs = readCpuMs(target.server.pid) - cpu0;
	unobserve.forEach((f) => f());
	return {
		latencies,
		ackLatencies,
		edits: total,
		expected,
		observed,
		ackMissing: trackers ? trackers.reduce((a, t) => a + t.pending, 0) : null,
		serverCpuMs,
		durationMs: performance.now() - start,
		rssUnderLoadKb: median(rssSamples),
		clientLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6, 1),
		closes: closeSummary(fleet.clients.flat())
	};
}

/** The report of one fleet run (the latencies themselves are pooled by the caller). */
export function fleetSummary(run: FleetRun): TargetResult {
	return {
		propagation_ms: { ...percentiles(run.latencies), expected_samples: run.expected, missing: run.expected - run.observed } as TargetResult,
		...(run.ackMissing !== null ? { durable_ack_ms: { ...percentiles(run.ackLatencies), missing: run.ackMissing } as TargetResult } : {}),
		edits: run.edits,
		server_cpu_ms: round(run.serverCpuMs, 0),
		server_cpu_ms_per_edit: round(run.serverCpuMs / Math.max(1, run.edits), 3),
		client_event_loop_delay_p99_ms: run.clientLoopDelayP99Ms,
		client_limited: run.clientLoopDelayP99Ms > 250,
		closes: run.closes
	};
}
