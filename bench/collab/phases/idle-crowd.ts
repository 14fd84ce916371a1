// An idle crowd: BENCH_IC_ACTIVE_DOCS documents being edited (BENCH_MD_CLIENTS clients each, BENCH_IC_RATE
// edits/s in all) for BENCH_IC_SECONDS alone, then again beside BENCH_IC_IDLE_DOCS documents x
// BENCH_IC_IDLE_CLIENTS clients connected, synced and present (awareness on) but idle; then alone once more.
// The active documents' p99 beside the crowd is compared with their p99 alone (both runs alone pooled).
import { performance } from 'node:perf_hooks';
import { CONFIG, progress, type TargetResult } from '../common';
import { connectFleet, driveFleet, fleetSummary, type Fleet } from '../fleet';
import { machineQuiet, readRssKb } from '../machine';
import { percentiles, round, sleep } from '../stats';
import type { Target } from '../targets';

export async function phaseIdleCrowd(target: Target, out: TargetResult) {
	const { ic_active_documents: A, ic_idle_documents: I, ic_idle_clients: IC, md_clients_per_document: C, ic_rate: rate, ic_seconds: seconds } = CONFIG;
	progress(`${target.name}: idle-crowd phase, ${A} active documents x ${C} clients at ${rate} edits/s, ${I} idle documents x ${IC} clients`);
	const active = await target.createDocs(A);
	const idle = await target.createDocs(I);
	const result: TargetResult = { shape: `${A} active documents x ${C} clients at ${rate} edits/s in all, ${seconds} s per run; crowd: ${I} idle documents x ${IC} clients with presence` };
	const alone: number[] = [];
	const run = async (label: string, sink: number[]) => {
		const quiet = await machineQuiet(0.15, 5_000);
		const fleet = await connectFleet(target, active, C, false);
		try {
			const r = await driveFleet(target, fleet, rate, seconds, `ic:${label}:`);
			sink.push(...r.latencies);
			result[label] = { ...fleetSummary(r), machine_quiet_before: quiet };
		} finally {
			fleet.destroy();
		}
		await sleep(CONFIG.unload_wait_ms);
	};
	await run('warm_up', []);
	await run('alone_before', alone);
	let crowd: Fleet | null = null;
	const crowded: number[] = [];
	try {
		const rss0 = readRssKb(target.server.pid);
		const t = performance.now();
		crowd = await connectFleet(target, idle, IC, true);
		result.crowd_connect_s = round((performance.now() - t) / 1000, 1);
		await sleep(2000); // the presence states settle
		result.crowd_rss_delta_kb = readRssKb(target.server.pid) - rss0;
		await run('beside_crowd', crowded);
		result.crowd_closes = crowd.clients.flat().reduce((a, c) => a + c.closes.length, 0);
	} finally {
		crowd?.destroy();
	}
	await sleep(CONFIG.unload_wait_ms);
	await run('alone_after', alone);
	const a = percentiles(alone).p99;
	const b = percentiles(crowded).p99;
	Object.assign(result, {
		alone_pooled_ms: percentiles(alone),
		beside_crowd_ms: percentiles(crowded),
		p99_ratio_beside_crowd_to_alone: typeof a === 'number' && typeof b === 'number' && a > 0 ? round(b / a, 2) : null
	});
	out.idle_crowd = result;
}
