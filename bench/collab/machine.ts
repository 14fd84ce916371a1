// What the bench reads of the machine and of the server processes: CPU time, RSS, how busy the machine is,
// and a forced garbage collection (through the server's inspector) before memory is sampled.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { round, sleep, withTimeout } from './stats';

/** CPU time (user + system) a process has used, in ms. */
export function readCpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// fields[11] = utime, fields[12] = stime (clock ticks; 100 per second on Linux)
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
/** CPU time of the whole machine so far (clock ticks, all cores), from /proc/stat: busy, stolen by the hypervisor, total. */
export function readMachineTicks(): { busy: number; steal: number; total: number } {
	// user nice system idle iowait irq softirq steal guest guest_nice (guest time is counted in user too)
	const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const busy = user + nice + system + irq + softirq;
	return { busy, steal, total: busy + idle + iowait + steal };
}
/**
 * Wait until the machine is quiet: less than `maxBusy` of its CPU in use over half a second (what a
 * previous phase left running has finished: documents unloading, a database's background work, another
 * process), for at most `limitMs`. Every measured propagation run starts so, Galley's and the reference's.
 */
export async function machineQuiet(maxBusy = 0.15, limitMs = 20_000): Promise<{ waited_ms: number; busy_percent: number }> {
	const t = performance.now();
	let busy = 1;
	while (performance.now() - t < limitMs) {
		const a = readMachineTicks();
		await sleep(500);
		const b = readMachineTicks();
		busy = b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
		if (busy < maxBusy) break;
	}
	return { waited_ms: round(performance.now() - t, 0), busy_percent: round(busy * 100, 0) };
}
export function readRssKb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
	if (!m) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(m[1]);
}
/**
 * Full garbage collection in a server process through its inspector, then its V8 heap usage. RSS alone
 * moves by megabytes with the collector's whims, which is as much as 100 idle documents take.
 */
export async function collectGarbage(inspectorUrl: string | null): Promise<{ usedKb: number } | null> {
	if (!inspectorUrl) return null;
	const ws = new WebSocket(inspectorUrl);
	try {
		return await withTimeout(
			new Promise<{ usedKb: number }>((resolve, reject) => {
				ws.on('error', reject);
				ws.on('message', (data) => {
					const msg = JSON.parse(String(data)) as { id?: number; result?: { usedSize?: number } };
					if (msg.id === 1) ws.send(JSON.stringify({ id: 2, method: 'HeapProfiler.collectGarbage' }));
					if (msg.id === 2) ws.send(JSON.stringify({ id: 3, method: 'Runtime.getHeapUsage' }));
					if (msg.id === 3) resolve({ usedKb: Math.round((msg.result?.usedSize ?? 0) / 1024) });
				});
				ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
			}),
			20_000,
			'garbage collection through the inspector'
		);
	} catch {
		return null;
	} finally {
		ws.close();
	}
}

/**
 * A heap snapshot of a server process through its inspector, written to `file` (open it in Chrome's
 * DevTools, Memory tab, or summarise it with bench/collab/heap-summary.ts). The snapshot collects garbage
 * first, so it holds what the process keeps alive.
 */
export async function writeHeapSnapshot(inspectorUrl: string | null, file: string): Promise<boolean> {
	if (!inspectorUrl) return false;
	const ws = new WebSocket(inspectorUrl);
	const out = fs.openSync(file, 'w');
	try {
		await withTimeout(
			new Promise<void>((resolve, reject) => {
				ws.on('error', reject);
				ws.on('message', (data) => {
					const msg = JSON.parse(String(data)) as { id?: number; method?: string; params?: { chunk?: string } };
					if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') fs.writeSync(out, msg.params?.chunk ?? '');
					if (msg.id === 1) resolve();
				});
				ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.takeHeapSnapshot', params: { reportProgress: false } })));
			}),
			120_000,
			'a heap snapshot through the inspector'
		);
		return true;
	} catch {
		return false;
	} finally {
		fs.closeSync(out);
		ws.close();
	}
}
