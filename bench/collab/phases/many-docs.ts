// Many documents at once: BENCH_MD_DOCS documents x BENCH_MD_CLIENTS stock clients, BENCH_MD_RATE edits/s in
// all spread over one writer per document, BENCH_MD_SECONDS per round; propagation to the other clients of
// the same document, durable ack on Galley, ΔRSS per client and per document, server CPU per edit. On a Galley
// target its rounds alternate with the paired reference's (as the propagation phase's do), samples pooled.
import path from 'node:path';
import { env } from 'node:process';
import { CONFIG, progress, type TargetResult } from '../common';
import { connectFleet, driveFleet, fleetSummary, type FleetRun } from '../fleet';
import { collectGarbage, machineQuiet, readRssKb, writeHeapSnapshot } from '../machine';
import { median, percentiles, round, sleep } from '../stats';
import type { Target } from '../targets';

/** Each target's documents for this phase, created once and reused by every round (they unload between). */
const documentsOf = new WeakMap<Target, string[]>();

async function documentsFor(target: Target): Promise<string[]> {
	let docs = documentsOf.get(target);
	if (!docs) {
		docs = await target.createDocs(CONFIG.md_documents);
		documentsOf.set(target, docs);
	}
	return docs;
}

/**
 * The server at rest: garbage collected (through the inspector), its RSS (median of three samples) and its
 * live V8 heap after the collection (null without an inspector).
 */
async function atRest(target: Target): Promise<{ rssKb: number; liveHeapKb: number | null }> {
	await collectGarbage(target.server.inspectorUrl);
	const heap = await collectGarbage(target.server.inspectorUrl);
	const xs: number[] = [];
	for (let i = 0; i < 3; i++) {
		await sleep(200);
		xs.push(readRssKb(target.server.pid));
	}
	return { rssKb: median(xs)!, liveHeapKb: heap?.usedKb ?? null };
}

/** One many-docs run on `target`: connect the fleet, drive it, disconnect. */
export async function manyDocsRun(target: Target, seconds: number): Promise<{ run: FleetRun; summary: TargetResult }> {
	const { md_documents: D, md_clients_per_document: C, md_rate: rate } = CONFIG;
	const docs = await documentsFor(target);
	// At most 5 s (not the propagation phase's 20): enough for the previous round's documents to unload, and
	// on a machine shared with other runs it is never quiet anyway.
	const quiet = await machineQuiet(0.15, 5_000);
	progress(`${target.name}: many-docs run, ${D} documents x ${C} clients, ${rate} edits/s for ${seconds}s (machine ${quiet.busy_percent}% busy after ${quiet.waited_ms} ms)`);
	const { rssKb: rssBefore, liveHeapKb: heapBefore } = await atRest(target);
	// BENCH_HEAP_SNAPSHOT_DIR: a heap snapshot of the server before connecting and with the fleet connected
	const snapshots = env.BENCH_HEAP_SNAPSHOT_DIR;
	const snapshot = (when: string) => writeHeapSnapshot(target.server.inspectorUrl, path.join(snapshots!, `${target.name}-${Date.now()}-${when}.heapsnapshot`));
	if (snapshots) await snapshot('before');
	const syncTimes: number[] = [];
	const fleet = await connectFleet(target, docs, C, false, syncTimes);
	try {
		const run = await driveFleet(target, fleet, rate, seconds, 'md:');
		const summary = fleetSummary(run);
		const under = run.rssUnderLoadKb;
		// what the server keeps alive for the connected fleet: its V8 heap after a full collection, clients still on
		const heapUnder = await collectGarbage(target.server.inspectorUrl);
		if (snapshots) await snapshot('under-load');
		Object.assign(summary, {
			live_heap_before_connecting_kb: heapBefore,
			live_heap_per_client_kb: heapBefore !== null && heapUnder ? round((heapUnder.usedKb - heapBefore) / (D * C), 1) : null,
			machine_quiet_before: quiet,
			connect_to_sync_ms: percentiles(syncTimes),
			rss_before_connecting_kb: rssBefore,
			rss_under_load_kb: under,
			rss_per_client_kb: under === null ? null : round((under - rssBefore) / (D * C), 1),
			rss_per_document_kb: under === null ? null : round((under - rssBefore) / D, 1)
		});
		return { run, summary };
	} finally {
		fleet.destroy();
	}
}

/**
 * The phase: an unmeasured short run first (JIT, caches), then BENCH_MD_ROUNDS rounds; on Galley each round
 * is followed by one of `reference` (the paired reference server), after the Galley server has had
 * BENCH_UNLOAD_WAIT_MS to unload the round's documents.
 */
export async function phaseManyDocs(target: Target, out: TargetResult, reference: Target | null) {
	const warm = Math.min(3, CONFIG.md_seconds);
	await manyDocsRun(target, warm);
	const pooled = { mine: [] as number[], acks: [] as number[], reference: [] as number[] };
	const rounds: TargetResult[] = [];
	const cpu = { mine: 0, mineEdits: 0, reference: 0, referenceEdits: 0 };
	for (let turn = 1; turn <= CONFIG.md_rounds; turn++) {
		const mine = await manyDocsRun(target, CONFIG.md_seconds);
		pooled.mine.push(...mine.run.latencies);
		pooled.acks.push(...mine.run.ackLatencies);
		cpu.mine += mine.run.serverCpuMs;
		cpu.mineEdits += mine.run.edits;
		const round_: TargetResult = { [target.name]: mine.summary };
		if (reference?.server.alive) {
			await sleep(CONFIG.unload_wait_ms);
			const theirs = await manyDocsRun(reference, CONFIG.md_seconds);
			pooled.reference.push(...theirs.run.latencies);
			cpu.reference += theirs.run.serverCpuMs;
			cpu.referenceEdits += theirs.run.edits;
			round_.reference = theirs.summary;
			const a = percentiles(mine.run.latencies).p99;
			const b = percentiles(theirs.run.latencies).p99;
			round_.p99_ratio = typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 2) : null;
		}
		rounds.push(round_);
		await sleep(CONFIG.unload_wait_ms);
	}
	const mineP99 = percentiles(pooled.mine).p99;
	const theirP99 = percentiles(pooled.reference).p99;
	const cpuMine = cpu.mine / Math.max(1, cpu.mineEdits);
	const cpuTheirs = cpu.reference / Math.max(1, cpu.referenceEdits);
	out.many_docs = {
		shape: `${CONFIG.md_documents} documents x ${CONFIG.md_clients_per_document} clients, ${CONFIG.md_rate} edits/s in all (one writer per document), ${CONFIG.md_seconds} s per round`,
		rounds,
		propagation_pooled_ms: percentiles(pooled.mine),
		...(target.galley ? { durable_ack_pooled_ms: percentiles(pooled.acks) } : {}),
		server_cpu_ms_per_edit: round(cpuMine, 3),
		...(reference
			? {
					reference_propagation_pooled_ms: percentiles(pooled.reference),
					reference_server_cpu_ms_per_edit: round(cpuTheirs, 3),
					propagation_p99_ratio_to_paired_reference: typeof mineP99 === 'number' && typeof theirP99 === 'number' && theirP99 > 0 ? round(mineP99 / theirP99, 2) : null,
					cpu_per_edit_ratio_to_paired_reference: cpuTheirs > 0 ? round(cpuMine / cpuTheirs, 2) : null,
					rounds_p99_within_1_5x: rounds.filter((r) => typeof r.p99_ratio === 'number' && r.p99_ratio <= 1.5).length
				}
			: {})
	};
}
