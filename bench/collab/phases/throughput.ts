// Throughput: writers as fast as a per-writer cap allows, one reader counting what arrives.
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { CONFIG, progress, type TargetResult } from '../common';
import { ackTracker, addParagraph, closeSummary, connectAll, makeEdit } from '../documents';
import { readCpuMs } from '../machine';
import { percentiles, round, sleep } from '../stats';
import type { Target } from '../targets';

export async function phaseThroughput(target: Target, out: TargetResult) {
	const W = CONFIG.throughput_writers;
	const cap = CONFIG.throughput_rate_cap_per_writer;
	const seconds = CONFIG.throughput_seconds;
	progress(`${target.name}: throughput phase, ${W} writers capped at ${cap}/s for ${seconds}s`);
	const [doc] = await target.createDocs(1);
	const ws = await connectAll(target, Array(W).fill(doc), W, 30_000);
	const readerArr = await connectAll(target, [doc], 1, 30_000).catch((e) => {
		ws.forEach((c) => c.destroy());
		throw e;
	});
	const reader = readerArr[0];
	const clients = [...ws, reader];
	const loopDelay = monitorEventLoopDelay({ resolution: 5 });
	try {
		const texts = ws.map((w, i) => addParagraph(w.doc, `Throughput writer ${i}: `));
		const markers = ws.map((w) => w.doc.getMap<number>('bench'));
		const ackLatencies: number[] = [];
		const ackNext: number[] = [];
		const trackers = target.galley ? ws.map((w) => ackTracker(w, ackLatencies, ackNext)) : null;
		const seen: number[] = [];
		const latencies: number[] = [];
		const rmap = reader.doc.getMap<number>('bench');
		rmap.observe((ev) => {
			const now = performance.now();
			for (const key of ev.keysChanged) {
				if (!key.startsWith('t:')) continue;
				const t0 = rmap.get(key);
				if (typeof t0 === 'number') {
					seen.push(now);
					latencies.push(now - t0);
				}
			}
		});
		await sleep(500);
		const start = performance.now();
		const end = start + seconds * 1000;
		let sent = 0;
		const cpu0 = readCpuMs(target.server.pid);
		loopDelay.enable();
		await Promise.all(
			ws.map(async (w, wi) => {
				let n = 0;
				while (performance.now() < end && w.closes.length === 0) {
					const allowed = Math.floor(((performance.now() - start) / 1000) * cap) + 1;
					while (n < allowed && performance.now() < end) {
						const t0 = makeEdit(w.doc, texts[wi], markers[wi], `t:${wi}:${n}`, 'x');
						trackers?.[wi].sent(t0);
						n++;
						sent++;
					}
					await new Promise<void>((r) => setTimeout(r, 2));
				}
			})
		);
		const sendEnd = performance.now();
		const deadline = sendEnd + 15_000;
		while (performance.now() < deadline && seen.length < sent) await sleep(20);
		loopDelay.disable();
		const drainEnd = seen.length ? seen[seen.length - 1] : sendEnd;
		const cpuMs = readCpuMs(target.server.pid) - cpu0;
		const cpuPct = round((cpuMs / (Math.max(drainEnd, sendEnd) - start)) * 100, 0);
		const inWindow = seen.filter((t) => t <= end).length;
		Object.assign(out, {
			// edits the reader observed, over the time from the first send to the last observation
			throughput_edits_per_s: round(seen.length / ((Math.max(drainEnd, sendEnd) - start) / 1000), 0),
			throughput_observed_within_send_window_per_s: round(inWindow / seconds, 0),
			server_cpu_percent_during_throughput: cpuPct,
			server_cpu_ms_per_1000_edits_under_load: round((cpuMs / Math.max(1, seen.length)) * 1000, 0),
			throughput_offered_edits_per_s: round(sent / ((sendEnd - start) / 1000), 0),
			throughput_cap_edits_per_s: W * cap,
			throughput_sent: sent,
			throughput_observed: seen.length,
			throughput_missing: sent - seen.length,
			throughput_drain_after_send_ms: round(Math.max(0, drainEnd - sendEnd), 0),
			throughput_propagation_ms: percentiles(latencies),
			throughput_client_event_loop_delay_p99_ms: round(loopDelay.percentile(99) / 1e6, 1),
			throughput_client_limited: loopDelay.percentile(99) / 1e6 > 250,
			throughput_closes: closeSummary(clients)
		});
		if (trackers) {
			const d2 = performance.now() + 5000;
			while (performance.now() < d2 && trackers.some((t) => t.pending > 0)) await sleep(50);
			out.durable_ack_under_load_ms = { ...percentiles(ackLatencies), missing: trackers.reduce((a, t) => a + t.pending, 0) } as TargetResult;
			out.durable_ack_next_message_under_load_ms = percentiles(ackNext);
		}
	} finally {
		loopDelay.disable();
		for (const c of clients) c.destroy();
	}
}
