// Edit propagation: writers at a fixed rate, readers timing each edit's arrival; on Galley, the durable ack.
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import { CONFIG, progress, type TargetResult } from '../common';
import { ackTracker, addParagraph, closeSummary, connectAll, makeEdit, observeArrivals } from '../documents';
import { machineQuiet, readCpuMs, readMachineTicks } from '../machine';
import { percentiles, round, sleep } from '../stats';
import type { Target } from '../targets';

/** One propagation run; `samples`, when given, receives every latency measured (for pooling rounds). */
export async function phasePropagation(target: Target, out: TargetResult, samples?: number[], seconds = CONFIG.propagation_seconds) {
	const { writers: K, readers: M, rate_per_writer: rate } = CONFIG;
	const quiet = await machineQuiet();
	out.machine_quiet_before = quiet;
	progress(`${target.name}: propagation phase, ${K} writers x ${rate}/s for ${seconds}s, ${M} readers (machine ${quiet.busy_percent}% busy after ${quiet.waited_ms} ms)`);
	const [doc] = await target.createDocs(1);
	const ws = await connectAll(target, Array(K).fill(doc), K, 30_000);
	const rs = await connectAll(target, Array(M).fill(doc), 8, 30_000).catch((e) => {
		ws.forEach((c) => c.destroy());
		throw e;
	});
	const clients = [...ws, ...rs];
	const loopDelay = monitorEventLoopDelay({ resolution: 5 });
	try {
		const texts = ws.map((w, i) => addParagraph(w.doc, `Writer ${i}: `));
		const markers = ws.map((w) => w.doc.getMap<number>('bench'));
		const prefix = 'p:';
		const latencies: number[] = [];
		const ackLatencies: number[] = [];
		const ackNext: number[] = [];
		let observed = 0;
		for (const r of rs) {
			observeArrivals(r, prefix, (ms) => {
				latencies.push(ms);
				observed++;
			});
		}
		const trackers = target.galley ? ws.map((w) => ackTracker(w, ackLatencies, ackNext)) : null;
		await sleep(500);
		const perWriter = Math.round(rate * seconds);
		const period = 1000 / rate;
		const start = performance.now() + 50;
		const cpu0 = readCpuMs(target.server.pid);
		const clientCpu0 = readCpuMs(process.pid);
		const machine0 = readMachineTicks();
		loopDelay.enable();
		await Promise.all(
			ws.map(async (w, wi) => {
				const offset = (wi * period) / K;
				for (let n = 0; n < perWriter; n++) {
					const due = start + offset + n * period;
					const wait = due - performance.now();
					if (wait > 0) await sleep(wait);
					const t0 = makeEdit(w.doc, texts[wi], markers[wi], `${prefix}${wi}:${n}`, 'ab ');
					trackers?.[wi].sent(t0);
				}
			})
		);
		const sentAll = performance.now();
		const expected = perWriter * K * M;
		const deadline = sentAll + 10_000;
		while (performance.now() < deadline && (observed < expected || (trackers && trackers.some((t) => t.pending > 0)))) await sleep(50);
		loopDelay.disable();
		samples?.push(...latencies);
		const cpuMs = readCpuMs(target.server.pid) - cpu0;
		const cpuPct = round((cpuMs / (performance.now() - start)) * 100, 0);
		// Where the machine's CPU went during the run: the server, these clients, everything else (a database
		// server, its background work, other processes): a round with much "other" ran beside something.
		const machine1 = readMachineTicks();
		const clientsMs = readCpuMs(process.pid) - clientCpu0;
		const machineBusyMs = ((machine1.busy - machine0.busy) * 1000) / 100;
		out.cpu_during_propagation_ms = {
			server: round(cpuMs, 0),
			clients: round(clientsMs, 0),
			other: round(Math.max(0, machineBusyMs - cpuMs - clientsMs), 0),
			stolen_by_hypervisor: ((machine1.steal - machine0.steal) * 1000) / 100
		};
		Object.assign(out, {
			server_cpu_percent_during_propagation: cpuPct,
			server_cpu_ms_per_edit_fanned_out_to_20: round(cpuMs / Math.max(1, perWriter * K), 2),
			propagation_ms: { ...percentiles(latencies), expected_samples: expected, missing: expected - observed } as TargetResult,
			propagation_offered_edits_per_s: K * rate,
			propagation_send_duration_s: round((sentAll - start) / 1000, 2),
			client_event_loop_delay_p99_ms: round(loopDelay.percentile(99) / 1e6, 1),
			// The clients' own process lagging by more than this means the latencies measure the machine, not the server.
			propagation_client_limited: loopDelay.percentile(99) / 1e6 > 250
		});
		if (trackers) {
			out.durable_ack_ms = {
				...percentiles(ackLatencies),
				expected_samples: perWriter * K,
				missing: trackers.reduce((a, t) => a + t.pending, 0)
			} as TargetResult;
			out.durable_acks_received_per_writer = round(ws.reduce((a, w) => a + w.acks, 0) / K, 1);
			// Diagnostic: time from an edit to the next type-8 message, whatever its state vector covers.
			out.durable_ack_next_message_ms = percentiles(ackNext);
			out.durable_ack_coverage = trackers.map((t) => `own clock ${t.ownClock}, highest covered by any ack ${t.highestCovered}`);
		}
		// Convergence check: every client ends up with the same body (writers may lag behind readers).
		const converged = () => {
			const reference = ws[0].doc.getXmlFragment('body').toString();
			return clients.every((c) => c.doc.getXmlFragment('body').toString() === reference);
		};
		const d2 = performance.now() + 5000;
		while (!converged() && performance.now() < d2) await sleep(200);
		out.propagation_converged = converged();
		out.propagation_closes = closeSummary(clients);
		out.propagation_notices = clients.reduce((a, c) => a + c.notices.length, 0);
	} finally {
		loopDelay.disable();
		for (const c of clients) c.destroy();
	}
}
