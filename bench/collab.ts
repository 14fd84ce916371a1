// Collaboration benchmark: `npm run bench` (tsx bench/collab.ts).
//
// Drives each target server with stock clients in this one Node process (so one clock serves every
// latency) and prints ONE JSON object on stdout; progress goes to stderr. Targets:
//   galley-pglite                       node build/galley-server.js on a fresh GALLEY_DATA_DIR
//   galley-postgres                     the same on a fresh database (BENCH_DATABASE_URL or TEST_DATABASE_URL)
//   reference-y-websocket-server-0.1.1  bench/reference-server.mjs (@y/websocket-server 0.1.1, in memory)
//   hocuspocus-3.4.4                    bench/hocuspocus-server.mjs (@hocuspocus/server 3.4.4, in memory,
//                                       driven by @hocuspocus/provider: its protocol differs from y-websocket's)
// Phases per target: warm-up, RSS per idle document/connection, edit propagation (+ durable ack on
// Galley), throughput, 1 MB document load (warm; on Galley also cold after unload and after a restart).
// Each Galley target's propagation rounds alternate with those of a reference process started fresh for it,
// which first ran the same phases (warm-up, RSS, presence, propagation warm-up).
// Every measured propagation run first waits for the machine to be quiet (under 15% of its CPU busy over
// half a second, at most 20 s): the RSS phase leaves hundreds of documents unloading, and a database its
// background work after them.
//
// Knobs (environment): BENCH_TARGETS (comma list of the names above), BENCH_WRITERS (4), BENCH_READERS (16),
// BENCH_RATE (edits/s per writer, 20), BENCH_SECONDS (10), BENCH_TP_WRITERS (4), BENCH_TP_RATE (edits/s per
// writer, 250: under Galley's 300 messages/s per connection), BENCH_TP_SECONDS (5), BENCH_WARM_UP_SECONDS (an unmeasured
// propagation run first, 3), BENCH_DOCS (200),
// BENCH_CLIENTS_PER_DOC (5), BENCH_DOC_BYTES (1000000), BENCH_UNLOAD_WAIT_MS (2500), BENCH_COLD_RUNS (cold loads after
// unload per Galley target, 5; the median is reported), BENCH_PAIRED_ROUNDS (propagation rounds of a Galley
// target and the reference taking turns, 3; their samples are pooled), BENCH_HARD_LIMIT_S (480), BENCH_RSS_BUDGET_S (45).
// Debugging: BENCH_PHASES (comma list of rss, presence, propagation, throughput, load), BENCH_SERVER_NODE_ARGS
// (node flags for the server processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
// `npm run -s bench` keeps npm's own banner off stdout, so the output pipes straight into jq.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance, monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import postgres from 'postgres';
import { ROOT, num } from './knobs';

// ---------------------------------------------------------------------------------------------------------
// Output discipline: stdout carries exactly one JSON object. Libraries that console.log go to stderr.
const writeStdout = process.stdout.write.bind(process.stdout);
console.log = (...args: unknown[]) => console.error(...args);
console.info = (...args: unknown[]) => console.error(...args);
const progress = (msg: string) => process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);

const T0 = performance.now();
// Every y-websocket provider adds a process 'exit' listener; a thousand of them are expected here.
process.setMaxListeners(0);
const env = process.env;
const CONFIG = {
	writers: num('BENCH_WRITERS', 4),
	readers: num('BENCH_READERS', 16),
	rate_per_writer: num('BENCH_RATE', 20),
	propagation_seconds: num('BENCH_SECONDS', 10),
	propagation_warm_up_seconds: num('BENCH_WARM_UP_SECONDS', 3),
	throughput_writers: num('BENCH_TP_WRITERS', 4),
	throughput_rate_cap_per_writer: num('BENCH_TP_RATE', 250),
	throughput_seconds: num('BENCH_TP_SECONDS', 5),
	documents: num('BENCH_DOCS', 200),
	clients_per_document: num('BENCH_CLIENTS_PER_DOC', 5),
	doc_bytes: num('BENCH_DOC_BYTES', 1_000_000),
	unload_wait_ms: num('BENCH_UNLOAD_WAIT_MS', 2500),
	cold_load_runs: Math.round(num('BENCH_COLD_RUNS', 5)),
	paired_rounds: Math.round(num('BENCH_PAIRED_ROUNDS', 3)),
	rss_budget_s: num('BENCH_RSS_BUDGET_S', 45),
	hard_limit_s: num('BENCH_HARD_LIMIT_S', 480)
};
const PG_ADMIN_URL = env.BENCH_DATABASE_URL?.trim() || env.TEST_DATABASE_URL?.trim() || null;
const TARGET_NAMES = {
	pglite: 'galley-pglite',
	pg: 'galley-postgres',
	reference: 'reference-y-websocket-server-0.1.1',
	hocuspocus: 'hocuspocus-3.4.4'
} as const;
const wanted = env.BENCH_TARGETS ? new Set(env.BENCH_TARGETS.split(',').map((s) => s.trim())) : null;
const want = (name: string) => !wanted || wanted.has(name);
const wantedPhases = env.BENCH_PHASES ? new Set(env.BENCH_PHASES.split(',').map((s) => s.trim())) : null;
const wantPhase = (name: string) => !wantedPhases || wantedPhases.has(name);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };
type TargetResult = { [k: string]: Json | undefined };
const results: {
	machine: TargetResult;
	config: TargetResult;
	targets: Record<string, TargetResult>;
	targets_met: Record<string, boolean | null>;
	notes: string[];
	[k: string]: Json | Record<string, TargetResult> | Record<string, boolean | null> | undefined;
} = {
	machine: {
		cpus: os.cpus().length,
		cpu_model: os.cpus()[0]?.model ?? 'unknown',
		memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
		loadavg_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
		shared_machine_note:
			'clients and the server under test share this machine (and, during this run, other test runs): figures are indicative and noisy'
	},
	config: { ...CONFIG, bench_database_url_set: PG_ADMIN_URL !== null },
	targets: {},
	targets_met: {},
	notes: []
};

// ---------------------------------------------------------------------------------------------------------
// Small helpers
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	try {
		return await Promise.race([
			p,
			new Promise<T>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}
function percentiles(samples: number[]): TargetResult {
	if (samples.length === 0) return { p50: null, p95: null, p99: null, max: null, mean: null, samples: 0 };
	const s = [...samples].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
	return {
		p50: round(at(0.5)),
		p95: round(at(0.95)),
		p99: round(at(0.99)),
		max: round(s[s.length - 1]),
		mean: round(s.reduce((a, b) => a + b, 0) / s.length),
		samples: s.length
	};
}
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);
/** CPU time (user + system) a process has used, in ms. */
function readCpuMs(pid: number): number {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// fields[11] = utime, fields[12] = stime (clock ticks; 100 per second on Linux)
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
/** CPU time of the whole machine so far (clock ticks, all cores), from /proc/stat: busy, stolen by the hypervisor, total. */
function readMachineTicks(): { busy: number; steal: number; total: number } {
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
async function machineQuiet(maxBusy = 0.15, limitMs = 20_000): Promise<{ waited_ms: number; busy_percent: number }> {
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
function readRssKb(pid: number): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
	if (!m) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(m[1]);
}
/**
 * Full garbage collection in a server process through its inspector, then its V8 heap usage. RSS alone
 * moves by megabytes with the collector's whims, which is as much as 100 idle documents take.
 */
async function collectGarbage(inspectorUrl: string | null): Promise<{ usedKb: number } | null> {
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

/** Run `fn` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	});
	await Promise.all(workers);
	return out;
}
const elapsedS = () => (performance.now() - T0) / 1000;

// ---------------------------------------------------------------------------------------------------------
// Child processes: every server we start is tracked and killed on exit, error or signal.
const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Notable server log lines, grouped by message. */
class LogCollector {
	private notable = new Map<string, { count: number; example: string }>();
	tail: string[] = [];
	private benign: RegExp[];
	constructor(benign: RegExp[]) {
		this.benign = [...benign, /^For help, see: https:\/\/nodejs\.org/, /^Debugger (attached|ending)\.?/];
	}
	add(stream: 'stdout' | 'stderr', line: string) {
		if (!line.trim()) return;
		this.tail.push(`${stream}: ${line}`);
		if (this.tail.length > 60) this.tail.shift();
		if (this.benign.some((re) => re.test(line))) return;
		let key = line;
		try {
			const parsed = JSON.parse(line) as { msg?: string; reason?: string; code?: number };
			if (parsed && typeof parsed.msg === 'string') key = `${parsed.msg}${parsed.code ? ` [${parsed.code}]` : ''}${parsed.reason ? `: ${parsed.reason}` : ''}`;
		} catch {
			key = line.replace(/\d+/g, 'N').slice(0, 160);
		}
		key = `${stream}: ${key}`;
		const entry = this.notable.get(key);
		if (entry) entry.count++;
		else this.notable.set(key, { count: 1, example: line.slice(0, 400) });
	}
	summary(): Json[] {
		return [...this.notable.entries()].map(([key, v]) => ({ key, count: v.count, example: v.example }));
	}
}

class ServerProcess {
	child!: ChildProcess;
	port = 0;
	/** The server's inspector (started on a free 127.0.0.1 port) to force a garbage collection before RSS samples. */
	inspectorUrl: string | null = null;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
	constructor(
		readonly label: string,
		private args: string[],
		private envVars: Record<string, string | undefined>,
		private readyLine: RegExp,
		readonly logs: LogCollector
	) {}
	get pid(): number {
		return this.child.pid ?? -1;
	}
	get alive(): boolean {
		return this.child && this.child.exitCode === null && this.child.signalCode === null;
	}
	async start(timeoutMs = 60_000): Promise<number> {
		const t = performance.now();
		// BENCH_SERVER_NODE_ARGS: extra node flags for the servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
		const nodeArgs = env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
		this.inspectorUrl = null;
		const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', ...nodeArgs, ...this.args], {
			cwd: ROOT,
			env: { ...process.env, ...this.envVars },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		this.child = child;
		children.add(child);
		this.exited = new Promise((resolve) =>
			child.once('exit', (code, signal) => {
				children.delete(child);
				resolve({ code, signal });
			})
		);
		const ready = new Promise<number>((resolve, reject) => {
			const onLine = (stream: 'stdout' | 'stderr') => {
				let buf = '';
				return (chunk: Buffer) => {
					buf += chunk.toString('utf8');
					let i: number;
					while ((i = buf.indexOf('\n')) >= 0) {
						const line = buf.slice(0, i);
						buf = buf.slice(i + 1);
						const m = line.match(this.readyLine);
						if (m) resolve(Number(m[1]));
						const insp = line.match(/^Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/\S+)/);
						if (insp) this.inspectorUrl = insp[1];
						else this.logs.add(stream, line);
					}
				};
			};
			child.stdout!.on('data', onLine('stdout'));
			child.stderr!.on('data', onLine('stderr'));
			child.once('exit', (code, signal) =>
				reject(new Error(`${this.label} exited before listening (code ${code}, signal ${signal}); last output:\n${this.logs.tail.slice(-15).join('\n')}`))
			);
			child.once('error', reject);
		});
		try {
			this.port = await withTimeout(ready, timeoutMs, `${this.label} to listen`);
		} catch (err) {
			if (this.alive) child.kill('SIGKILL');
			throw err;
		}
		progress(`${this.label} listening on ${this.port} (pid ${child.pid}) after ${Math.round(performance.now() - t)} ms`);
		return performance.now() - t;
	}
	/** SIGTERM, then SIGKILL after `graceMs`. Returns how long the process took to exit and how. */
	async stop(graceMs = 12_000): Promise<{ ms: number; code: number | null; signal: string | null; killed: boolean }> {
		if (!this.child || !this.alive) return { ms: 0, code: this.child?.exitCode ?? null, signal: null, killed: false };
		const t = performance.now();
		this.child.kill('SIGTERM');
		let killed = false;
		const res = await Promise.race([this.exited, sleep(graceMs).then(() => null)]);
		if (res === null) {
			killed = true;
			this.child.kill('SIGKILL');
			await withTimeout(this.exited, 5000, `${this.label} to die`).catch(() => undefined);
		}
		const r = await Promise.race([this.exited, sleep(10).then(() => ({ code: null, signal: null }))]);
		return { ms: round(performance.now() - t, 0), code: r.code, signal: r.signal, killed };
	}
}

// ---------------------------------------------------------------------------------------------------------
// Clients

interface BenchClient {
	doc: Y.Doc;
	synced: Promise<void>;
	isSynced(): boolean;
	closes: { code: number; reason: string }[];
	notices: string[];
	/** Galley's durable acks (message type 8). */
	onAck: ((sv: Map<number, number>) => void) | null;
	acks: number;
	/** performance.now() when the websocket first opened (upgrade accepted), or null. */
	openedAt: number | null;
	/** Set a field of this client's presence (awareness) state, as an editor's caret does. */
	setPresence(field: string, value: Json): void;
	/** How many awareness states (own included) this client knows. */
	presenceCount(): number;
	destroy(): void;
}

/**
 * Clients have no presence unless `presence` is set: their awareness state is null (set before the
 * socket opens, so nothing is sent). With presence, the stock y-websocket client re-sends every awareness
 * change it receives (including other clients' states), which Galley answers with close 1008; the
 * presence phase measures that on its own so the other phases measure documents, not reconnect storms.
 */
function yWebsocketClient(serverUrl: string, room: string, params: Record<string, string>, galley: boolean, presence: boolean): BenchClient {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(serverUrl, room, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		params,
		// In one Node process BroadcastChannel would sync clients without the server.
		disableBc: true,
		maxBackoffTime: 1000
	});
	if (!presence) provider.awareness.setLocalState(null);
	let synced = false;
	const client: BenchClient = {
		doc,
		synced: new Promise<void>((resolve) => {
			provider.on('sync', (s: boolean) => {
				if (s) {
					synced = true;
					resolve();
				}
			});
		}),
		isSynced: () => synced,
		closes: [],
		notices: [],
		onAck: null,
		acks: 0,
		openedAt: null,
		setPresence: (field, value) => provider.awareness.setLocalStateField(field, value),
		presenceCount: () => provider.awareness.getStates().size,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
	provider.on('status', (e: { status: string }) => {
		if (e.status === 'connected' && client.openedAt === null) client.openedAt = performance.now();
	});
	provider.on('connection-close', (event: { code?: number; reason?: string } | null) => {
		client.closes.push({ code: event?.code ?? -1, reason: event?.reason ?? '' });
	});
	if (galley) {
		provider.messageHandlers[8] = (_encoder, decoder) => {
			const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
			client.acks++;
			client.onAck?.(sv);
		};
		provider.messageHandlers[9] = (_encoder, decoder) => {
			client.notices.push(decoding.readVarString(decoder));
		};
	}
	return client;
}

function hocuspocusClient(url: string, name: string, presence: boolean): BenchClient {
	const doc = new Y.Doc();
	let synced = false;
	let resolveSynced: () => void = () => undefined;
	const client: BenchClient = {
		doc,
		synced: new Promise<void>((resolve) => (resolveSynced = resolve)),
		isSynced: () => synced,
		closes: [],
		notices: [],
		onAck: null,
		acks: 0,
		openedAt: null,
		setPresence: (field, value) => provider.setAwarenessField(field, value),
		presenceCount: () => provider.awareness?.getStates().size ?? 0,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
	const config = {
		url,
		name,
		document: doc,
		WebSocketPolyfill: WebSocket,
		onSynced: ({ state }: { state: boolean }) => {
			if (state) {
				synced = true;
				resolveSynced();
			}
		},
		onOpen: () => {
			if (client.openedAt === null) client.openedAt = performance.now();
		},
		onClose: ({ event }: { event: { code?: number; reason?: string } }) => {
			client.closes.push({ code: event?.code ?? -1, reason: String(event?.reason ?? '') });
		}
	};
	const provider = new HocuspocusProvider(config as unknown as HocuspocusProviderConfiguration);
	if (!presence) provider.awareness?.setLocalState(null);
	return client;
}

// ---------------------------------------------------------------------------------------------------------
// Targets

interface Target {
	name: string;
	galley: boolean;
	persistent: boolean;
	server: ServerProcess;
	start(): Promise<void>;
	stop(): Promise<TargetResult>;
	/** Stop and start again on the same storage (Galley only). */
	restart?(): Promise<TargetResult>;
	createDocs(n: number): Promise<string[]>;
	connect(doc: string, presence?: boolean): BenchClient;
	/** Extra per-target checks (Galley on Postgres: update rows of a piece). */
	updateRows?(doc: string): Promise<number | null>;
	cleanup(): Promise<void>;
}

const GALLEY_BENIGN = [
	/"msg":"(database ready|Galley is listening|migrations? (applied|ran|up to date)[^"]*)"/,
	/^GALLEY_LISTENING \d+$/
];

class GalleyTarget implements Target {
	galley = true;
	persistent = true;
	server: ServerProcess;
	token = '';
	private base = '';
	private sql: postgres.Sql | null = null;
	constructor(
		readonly name: string,
		entry: string,
		envVars: Record<string, string>,
		private dbUrl: string | null
	) {
		this.server = new ServerProcess(name, [entry], { PORT: '0', HOST: '127.0.0.1', ORIGIN: '', NODE_ENV: 'production', GALLEY_RATE_LIMITS: 'off', ...envVars }, /^GALLEY_LISTENING (\d+)/, new LogCollector(GALLEY_BENIGN));
	}
	private get wsBase() {
		return `ws://127.0.0.1:${this.server.port}/collab`;
	}
	async start() {
		// The build may be mid-rewrite by someone else: retry a few times.
		let lastErr: unknown = null;
		for (let attempt = 0; attempt < 4; attempt++) {
			try {
				await this.server.start(90_000);
				this.base = `http://127.0.0.1:${this.server.port}`;
				if (!this.token) await this.setup();
				return;
			} catch (err) {
				lastErr = err;
				progress(`${this.name}: start failed (${String(err).split('\n')[0]}); retrying`);
				await this.server.stop(3000).catch(() => undefined);
				await sleep(5000);
			}
		}
		throw lastErr;
	}
	private async setup() {
		const r1 = await fetch(`${this.base}/api/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: this.base },
			body: JSON.stringify({ email: 'bench@example.org', name: 'Bench Editor', password: 'bench-password-123' })
		});
		if (r1.status !== 201) throw new Error(`POST /api/setup: ${r1.status} ${await r1.text()}`);
		const cookie = r1.headers
			.getSetCookie()
			.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('galley_session='));
		if (!cookie) throw new Error('POST /api/setup set no galley_session cookie');
		const r2 = await fetch(`${this.base}/api/tokens`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: this.base, cookie },
			body: JSON.stringify({ name: 'bench' })
		});
		if (r2.status !== 201) throw new Error(`POST /api/tokens: ${r2.status} ${await r2.text()}`);
		this.token = ((await r2.json()) as { token: string }).token;
	}
	async createDocs(n: number): Promise<string[]> {
		return pool(
			Array.from({ length: n }, (_, i) => i),
			4,
			async (i) => {
				const r = await fetch(`${this.base}/api/pieces`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
					body: JSON.stringify({ kind: 'article', title: `Bench piece ${i} ${Date.now()}` })
				});
				if (r.status !== 201) throw new Error(`POST /api/pieces: ${r.status} ${await r.text()}`);
				return ((await r.json()) as { piece: { id: string } }).piece.id;
			}
		);
	}
	connect(doc: string, presence = false): BenchClient {
		return yWebsocketClient(this.wsBase, doc, { token: this.token }, true, presence);
	}
	async stop() {
		return this.server.stop();
	}
	async restart() {
		const stopped = await this.stop();
		const t = performance.now();
		await this.start();
		return { stop_ms: stopped.ms, stop_killed: stopped.killed, stop_exit_code: stopped.code, start_ms: round(performance.now() - t, 0) };
	}
	async updateRows(doc: string): Promise<number | null> {
		if (!this.dbUrl) return null;
		this.sql ??= postgres(this.dbUrl, { max: 1, onnotice: () => undefined });
		const rows = await this.sql`select count(*)::int as n from document_updates where piece_id = ${doc}`;
		return (rows[0] as { n: number }).n;
	}
	async cleanup() {
		await this.sql?.end({ timeout: 2 }).catch(() => undefined);
		this.sql = null;
	}
}

class PlainTarget implements Target {
	galley = false;
	persistent = false;
	server: ServerProcess;
	private counter = 0;
	constructor(
		readonly name: string,
		script: string,
		private kind: 'reference' | 'hocuspocus'
	) {
		this.server = new ServerProcess(name, [path.join(ROOT, script)], { PORT: '0', HOST: '127.0.0.1' }, /^BENCH_LISTENING (\d+)/, new LogCollector([/^BENCH_LISTENING/]));
	}
	async start() {
		await this.server.start(30_000);
	}
	async stop() {
		return this.server.stop(5000);
	}
	async createDocs(n: number) {
		return Array.from({ length: n }, () => `bench-doc-${++this.counter}-${Math.random().toString(36).slice(2, 8)}`);
	}
	connect(doc: string, presence = false): BenchClient {
		const url = `ws://127.0.0.1:${this.server.port}`;
		return this.kind === 'reference' ? yWebsocketClient(url, doc, {}, false, presence) : hocuspocusClient(url, doc, presence);
	}
	async cleanup() {}
}

// ---------------------------------------------------------------------------------------------------------
// Document helpers: the body is a Y.XmlFragment of paragraphs holding Y.XmlText (as TipTap writes it).

function addParagraph(doc: Y.Doc, text = ''): Y.XmlText {
	const frag = doc.getXmlFragment('body');
	const p = new Y.XmlElement('paragraph');
	const t = new Y.XmlText();
	doc.transact(() => {
		frag.insert(frag.length, [p]);
		p.insert(0, [t]);
		if (text) t.insert(0, text);
	});
	return t;
}
function bodyTextLength(doc: Y.Doc): number {
	let n = 0;
	for (const node of doc.getXmlFragment('body').toArray()) {
		if (node instanceof Y.XmlElement) for (const child of node.toArray()) if (child instanceof Y.XmlText) n += child.length;
	}
	return n;
}

/** Connect `n` clients to `doc` (at most `limit` connecting at once), wait until all are synced. */
async function connectAll(target: Target, docs: string[], limit: number, timeoutMs: number, syncTimes?: number[], presence = false): Promise<BenchClient[]> {
	const clients: BenchClient[] = [];
	await withTimeout(
		pool(docs, limit, async (doc) => {
			const t = performance.now();
			const c = target.connect(doc, presence);
			clients.push(c);
			await c.synced;
			syncTimes?.push(performance.now() - t);
			return c;
		}),
		timeoutMs,
		`${docs.length} clients to sync`
	).catch((err) => {
		for (const c of clients) c.destroy();
		throw err;
	});
	return clients;
}
function closeSummary(clients: BenchClient[]): Json {
	const byCode: Record<string, number> = {};
	for (const c of clients) for (const e of c.closes) byCode[`${e.code}${e.reason ? ` ${e.reason}` : ''}`] = (byCode[`${e.code}${e.reason ? ` ${e.reason}` : ''}`] ?? 0) + 1;
	return byCode;
}

/** A writer's edit: a few characters into its own paragraph plus a marker in the same transaction. */
function makeEdit(doc: Y.Doc, text: Y.XmlText, marker: Y.Map<number>, id: string, chars: string): number {
	const t0 = performance.now();
	doc.transact(() => {
		text.insert(text.length, chars);
		marker.set(id, t0);
	});
	return t0;
}

/**
 * Tracks durable-ack latency of one writer's edits: time from the edit to the first type-8 message whose
 * state vector covers the writer's clock after that edit. Also, as a diagnostic, the time from the edit to
 * the next type-8 message whatever it covers (`nextSink`), and the highest own clock any ack covered.
 */
function ackTracker(client: BenchClient, sink: number[], nextSink?: number[]) {
	const pending: { clock: number; t0: number }[] = [];
	let waitingForNext: number[] = [];
	let highestCovered = 0;
	client.onAck = (sv) => {
		const now = performance.now();
		const c = sv.get(client.doc.clientID) ?? 0;
		highestCovered = Math.max(highestCovered, c);
		while (pending.length && pending[0].clock <= c) sink.push(now - pending.shift()!.t0);
		if (nextSink) for (const t0 of waitingForNext) nextSink.push(now - t0);
		waitingForNext = [];
	};
	return {
		sent(t0: number) {
			pending.push({ clock: Y.getState(client.doc.store, client.doc.clientID), t0 });
			waitingForNext.push(t0);
		},
		get pending() {
			return pending.length;
		},
		get highestCovered() {
			return highestCovered;
		},
		get ownClock() {
			return Y.getState(client.doc.store, client.doc.clientID);
		}
	};
}

// ---------------------------------------------------------------------------------------------------------
// Phases

async function phaseRss(target: Target, out: TargetResult, documents: number) {
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
	} finally {
		for (const c of all) c.destroy();
	}
	await sleep(target.galley ? 3000 : 1000); // let documents unload before the next phase
}

/** One propagation run; `samples`, when given, receives every latency measured (for pooling rounds). */
async function phasePropagation(target: Target, out: TargetResult, samples?: number[], seconds = CONFIG.propagation_seconds) {
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
			const map = r.doc.getMap<number>('bench');
			map.observe((ev) => {
				const now = performance.now();
				for (const key of ev.keysChanged) {
					if (!key.startsWith(prefix)) continue;
					const t0 = map.get(key);
					if (typeof t0 === 'number') {
						latencies.push(now - t0);
						observed++;
					}
				}
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

async function phaseThroughput(target: Target, out: TargetResult) {
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

async function phaseLoad(target: Target, out: TargetResult) {
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

/**
 * Presence as an editor uses it: 4 stock clients (with their awareness echo) on one document each set a
 * `user` field (TipTap's caret does), then a cursor, and stay 3 s. Every client should see 4 states and
 * nobody should be disconnected.
 */
async function phasePresence(target: Target, out: TargetResult) {
	progress(`${target.name}: presence phase`);
	const [doc] = await target.createDocs(1);
	const cs = await connectAll(target, Array(4).fill(doc), 4, 30_000, undefined, true);
	try {
		cs.forEach((c, i) => c.setPresence('user', { name: `Bench ${i}`, color: '#336699' }));
		await sleep(1500);
		cs.forEach((c, i) => c.setPresence('cursor', { anchor: i, head: i }));
		await sleep(1500);
		out.presence_states_seen_per_client = cs.map((c) => c.presenceCount());
		out.presence_closes = closeSummary(cs);
	} finally {
		cs.forEach((c) => c.destroy());
	}
}

/** Warm the server up; returns how long creating a document and connecting a client take here. */
async function warmUp(target: Target): Promise<{ createMs: number; connectMs: number }> {
	const t0 = performance.now();
	const docs = await target.createDocs(4);
	const createMs = (performance.now() - t0) / 4;
	const t1 = performance.now();
	const probe = await connectAll(target, docs.flatMap((d) => [d, d, d, d, d]), 20, 60_000);
	const connectMs = (performance.now() - t1) / probe.length;
	probe.forEach((c) => c.destroy());
	const doc = docs[0];
	const cs = await connectAll(target, [doc, doc], 2, 30_000);
	const t = addParagraph(cs[0].doc, 'warm-up ');
	for (let i = 0; i < 50; i++) {
		t.insert(t.length, 'w');
		await sleep(5);
	}
	await sleep(500);
	cs.forEach((c) => c.destroy());
	await sleep(1000);
	return { createMs, connectMs };
}

// ---------------------------------------------------------------------------------------------------------

/** The reference server, kept running after its own turn, for propagation runs paired with each Galley's. */
let pairedReference: Target | null = null;

/**
 * A reference server for one Galley target's propagation comparison, in the state that target is in when
 * it gets there: started fresh, then the same phases (warm-up, RSS, presence, the propagation warm-up).
 * The reference process that ran the whole sequence before is older by minutes (and faster for it, its
 * code long optimised): comparing with it favoured the reference more, the later a Galley target ran.
 */
async function freshPairedReference(documents: number): Promise<Target | null> {
	if (pairedReference) await pairedReference.stop().catch(() => undefined);
	pairedReference = null;
	if (!want(TARGET_NAMES.reference) || !wantPhase('propagation')) return null;
	const reference = new PlainTarget(TARGET_NAMES.reference, 'bench/reference-server.mjs', 'reference');
	const discard: TargetResult = {};
	try {
		await reference.start();
		await warmUp(reference);
		if (wantPhase('rss')) await phaseRss(reference, discard, documents);
		if (wantPhase('presence')) await phasePresence(reference, discard);
		if (CONFIG.propagation_warm_up_seconds > 0) await phasePropagation(reference, discard, undefined, CONFIG.propagation_warm_up_seconds);
		pairedReference = reference;
		return reference;
	} catch (err) {
		progress(`paired reference: ${String(err)}`);
		await reference.stop().catch(() => undefined);
		return null;
	}
}

async function runTarget(target: Target, maxDocuments: number, keepRunning = false) {
	const out: TargetResult = { status: 'running', errors: [], loadavg_1m_at_start: round(os.loadavg()[0]) };
	results.targets[target.name] = out;
	const errors = out.errors as string[];
	const phases: Record<string, number> = {};
	out.phase_seconds = phases;
	const phase = async (name: string, fn: () => Promise<void>) => {
		const t = performance.now();
		try {
			await fn();
		} catch (err) {
			errors.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
			progress(`${target.name}: ${name} failed: ${String(err)}`);
		} finally {
			phases[name] = round((performance.now() - t) / 1000, 1);
		}
	};
	const t = performance.now();
	try {
		await target.start();
		out.server_start_ms = round(performance.now() - t, 0);
	} catch (err) {
		out.status = `failed to start: ${err instanceof Error ? err.message : String(err)}`;
		out.server_log_tail = target.server.logs.tail.slice(-20);
		return;
	}
	const deaths: string[] = [];
	/** The server died under us (another test run on this machine may signal it): note it, start it again. */
	const ensureAlive = async () => {
		if (finished) return false; // the hard time limit struck: we are only writing out what we have
		if (target.server.alive) return true;
		const c = target.server.child;
		deaths.push(`exit ${c.exitCode}, signal ${c.signalCode}; output before: ${target.server.logs.tail.slice(-4).join(' | ')}`);
		progress(`${target.name}: server process died (${deaths[deaths.length - 1]}); starting it again`);
		try {
			await target.start();
			return true;
		} catch (err) {
			errors.push(`restart after death failed: ${String(err)}`);
			return false;
		}
	};
	try {
		let documents = maxDocuments;
		await phase('warm_up', async () => {
			const rate = await warmUp(target);
			// RSS phase size: 200 x 5 unless that would take too long here; then 100 x 5.
			const estimate = (maxDocuments * (rate.createMs / 4) + maxDocuments * CONFIG.clients_per_document * rate.connectMs) / 1000 + 10;
			out.rss_phase_estimate_s_at_max_documents = round(estimate, 0);
			if (estimate > CONFIG.rss_budget_s && maxDocuments > 100) {
				documents = 100;
				out.rss_scaled_down = `${maxDocuments} x ${CONFIG.clients_per_document} was estimated at ${round(estimate, 0)} s (> ${CONFIG.rss_budget_s} s budget): ran 100 x ${CONFIG.clients_per_document}`;
			}
		});
		if (wantPhase('rss') && (await ensureAlive())) await phase('rss', () => phaseRss(target, out, documents));
		if (wantPhase('presence') && (await ensureAlive())) await phase('presence', () => phasePresence(target, out));
		// The machine's load changes from minute to minute, and a p99 of a few milliseconds moves with any
		// hiccup: a Galley target and the reference take turns, round after round, and each side's samples
		// are pooled, so the comparison is between runs under the same conditions.
		const pooled = { galley: [] as number[], reference: [] as number[] };
		// First the same load for a few seconds, not measured: a server just started runs its code unoptimised
		// (the JIT has not seen the fan-out path yet) and its caches are cold; the steady state is measured.
		if (wantPhase('propagation') && CONFIG.propagation_warm_up_seconds > 0 && (await ensureAlive())) {
			await phase('propagation_warm_up', () => phasePropagation(target, {}, undefined, CONFIG.propagation_warm_up_seconds));
		}
		if (wantPhase('propagation') && (await ensureAlive())) await phase('propagation', () => phasePropagation(target, out, pooled.galley));
		if (wantPhase('propagation') && target.galley && pairedReference?.server.alive && pooled.galley.length) {
			await phase('propagation_paired_reference', async () => {
				const rounds: TargetResult[] = [];
				out.propagation_paired_rounds = rounds;
				for (let turn = 1; turn <= CONFIG.paired_rounds; turn++) {
					const mine: TargetResult = turn === 1 ? { propagation_ms: out.propagation_ms } : {};
					if (turn > 1) {
						if (!(await ensureAlive())) break;
						await phasePropagation(target, mine, pooled.galley);
					}
					// Let the Galley server finish with the round's document (it unloads: rows merged, projections
					// rebuilt) before the reference is measured on the same cores.
					await sleep(CONFIG.unload_wait_ms);
					if (!pairedReference?.server.alive) break;
					const ref: TargetResult = {};
					await phasePropagation(pairedReference, ref, pooled.reference);
					const p99 = (r: TargetResult) => (r.propagation_ms as TargetResult | undefined)?.p99;
					const [a, b] = [p99(mine), p99(ref)];
					rounds.push({
						galley_p99_ms: a ?? null,
						reference_p99_ms: b ?? null,
						ratio: typeof a === 'number' && typeof b === 'number' && b > 0 ? round(a / b, 2) : null,
						galley_cpu_ms: (turn === 1 ? out : mine).cpu_during_propagation_ms ?? null,
						reference_cpu_ms: ref.cpu_during_propagation_ms ?? null
					});
				}
				out.propagation_pooled_ms = percentiles(pooled.galley);
				out.reference_paired_propagation_ms = percentiles(pooled.reference);
				const mine = (out.propagation_pooled_ms as TargetResult).p99;
				const theirs = (out.reference_paired_propagation_ms as TargetResult).p99;
				if (typeof mine === 'number' && typeof theirs === 'number' && theirs > 0) out.propagation_p99_ratio_to_paired_reference = round(mine / theirs, 2);
			});
		}
		if (wantPhase('throughput') && (await ensureAlive())) await phase('throughput', () => phaseThroughput(target, out));
		if (wantPhase('load') && (await ensureAlive())) await phase('load', () => phaseLoad(target, out));
		if (!target.server.alive) await ensureAlive();
	} finally {
		if (deaths.length) {
			out.server_died_during_run = deaths;
			errors.push(`server process died ${deaths.length} time(s) during the run (see server_died_during_run)`);
		}
		out.loadavg_1m_at_end = round(os.loadavg()[0]);
		if (keepRunning && target.server.alive) {
			pairedReference = target;
		} else {
			const st = await target.stop().catch((e) => ({ error: String(e) }));
			out.final_stop = st as Json;
		}
		out.server_log_notable = target.server.logs.summary();
		if (errors.length) out.server_log_tail = target.server.logs.tail.slice(-12);
		await target.cleanup();
		out.status = errors.length ? 'completed with errors' : 'ok';
	}
}

/** Temporary things to remove however the run ends. */
const cleanupState: { tmpDirs: string[]; pgDb: { admin: postgres.Sql; name: string } | null } = { tmpDirs: [], pgDb: null };
async function cleanup() {
	const pgDb = cleanupState.pgDb;
	cleanupState.pgDb = null;
	if (pgDb) {
		for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
		await withTimeout(pgDb.admin.unsafe(`drop database if exists ${pgDb.name} with (force)`), 10_000, 'drop database').catch((e) =>
			results.notes.push(`could not drop database ${pgDb.name}: ${String(e)}`)
		);
		await pgDb.admin.end({ timeout: 2 }).catch(() => undefined);
	}
	for (const d of cleanupState.tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * Others may rebuild build/ while we run: wait until a complete build is there (build it only if none
 * appears), then run a private copy of it (under bench/, so packages resolve from node_modules).
 */
async function prepareGalleyBuild(): Promise<string | null> {
	const entry = path.join(ROOT, 'build/galley-server.js');
	const handler = path.join(ROOT, 'build/handler.js');
	const complete = () => fs.existsSync(entry) && fs.existsSync(handler) && fs.existsSync(path.join(ROOT, 'build/server'));
	for (let i = 0; i < 60 && !complete(); i++) {
		if (i === 0) progress('build/galley-server.js is missing (someone may be rebuilding): waiting up to 60 s');
		await sleep(1000);
	}
	if (!complete()) {
		progress('no build appeared: running npm run build');
		const code = await new Promise<number | null>((resolve) => {
			const b = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
			children.add(b);
			const timer = setTimeout(() => b.kill('SIGKILL'), 240_000);
			b.on('exit', (c) => {
				clearTimeout(timer);
				children.delete(b);
				resolve(c);
			});
		});
		if (code !== 0 || !complete()) {
			results.notes.push(`build/galley-server.js missing and npm run build failed (exit ${code}): Galley targets skipped`);
			return null;
		}
		results.notes.push('build/galley-server.js was missing: the bench ran npm run build');
	}
	// A build being rewritten changes under us: copy when it has been still for 2 s.
	for (let i = 0; i < 30; i++) {
		const m1 = fs.statSync(entry).mtimeMs;
		await sleep(2000);
		if (complete() && fs.statSync(entry).mtimeMs === m1) break;
	}
	const dir = path.join(ROOT, 'bench', `.run-${process.pid}`);
	cleanupState.tmpDirs.push(dir);
	fs.cpSync(path.join(ROOT, 'build'), path.join(dir, 'app'), { recursive: true });
	results.config.galley_build = `copy of build/ taken at start (build/galley-server.js of ${fs.statSync(entry).mtime.toISOString()})`;
	return path.join(dir, 'app', 'galley-server.js');
}

async function main() {
	const hardLimit = setTimeout(() => {
		results.notes.push(`hard time limit of ${CONFIG.hard_limit_s} s reached: results are partial`);
		void finish(2);
	}, CONFIG.hard_limit_s * 1000);
	hardLimit.unref();

	const wantGalley = want(TARGET_NAMES.pglite) || want(TARGET_NAMES.pg);
	const galleyEntry = wantGalley ? await prepareGalleyBuild() : null;
	// Plenty of time is needed for a target: Hocuspocus, last, is skipped when the budget runs short.
	const enoughTime = (needS: number) => elapsedS() + needS < CONFIG.hard_limit_s;

	try {
		if (want(TARGET_NAMES.reference)) {
			try {
				await import('@y/websocket-server/utils');
				await runTarget(new PlainTarget(TARGET_NAMES.reference, 'bench/reference-server.mjs', 'reference'), CONFIG.documents, true);
			} catch (err) {
				results.targets[TARGET_NAMES.reference] = { status: `skipped: @y/websocket-server 0.1.1 does not load: ${String(err)}` };
			}
		}
		if (want(TARGET_NAMES.pglite) && galleyEntry) {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-bench-'));
			cleanupState.tmpDirs.push(dir);
			await freshPairedReference(CONFIG.documents);
			await runTarget(new GalleyTarget(TARGET_NAMES.pglite, galleyEntry, { GALLEY_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' }, null), CONFIG.documents);
		}
		if (want(TARGET_NAMES.pg) && galleyEntry) {
			if (!PG_ADMIN_URL) {
				results.targets[TARGET_NAMES.pg] = { status: 'skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres the bench may create databases on' };
			} else if (!enoughTime(60)) {
				results.targets[TARGET_NAMES.pg] = { status: 'skipped: not enough time left in the bench budget' };
			} else {
				const name = `galley_bench_${Date.now().toString(36)}_${process.pid}`;
				try {
					const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => undefined, connect_timeout: 10 });
					await admin.unsafe(`create database ${name}`);
					cleanupState.pgDb = { admin, name };
					const url = new URL(PG_ADMIN_URL);
					url.pathname = `/${name}`;
					const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-bench-pg-'));
					cleanupState.tmpDirs.push(dir);
					await freshPairedReference(CONFIG.documents);
					await runTarget(new GalleyTarget(TARGET_NAMES.pg, galleyEntry, { DATABASE_URL: url.toString(), GALLEY_DATA_DIR: path.join(dir, 'data') }, url.toString()), CONFIG.documents);
					(results.targets[TARGET_NAMES.pg] as TargetResult).database = `${name} (created for the run, dropped after)`;
					(results.targets[TARGET_NAMES.pg] as TargetResult).rss_note = 'Galley process only; Postgres backends not counted';
				} catch (err) {
					results.targets[TARGET_NAMES.pg] ??= {};
					(results.targets[TARGET_NAMES.pg] as TargetResult).status = `failed: ${String(err)}`;
				}
			}
		}
		if (pairedReference) {
			await pairedReference.stop().catch(() => undefined);
			pairedReference = null;
		}
		if (want(TARGET_NAMES.hocuspocus)) {
			if (!enoughTime(85)) {
				results.targets[TARGET_NAMES.hocuspocus] = { status: 'skipped: not enough time left in the bench budget' };
			} else {
				try {
					await import('@hocuspocus/server');
					await runTarget(new PlainTarget(TARGET_NAMES.hocuspocus, 'bench/hocuspocus-server.mjs', 'hocuspocus'), CONFIG.documents);
					(results.targets[TARGET_NAMES.hocuspocus] as TargetResult).client = '@hocuspocus/provider 3.4.4 (Hocuspocus prefixes every message with the document name; y-websocket clients cannot talk to it)';
				} catch (err) {
					results.targets[TARGET_NAMES.hocuspocus] = { status: `skipped: @hocuspocus/server 3.4.4 does not load: ${String(err)}` };
				}
			}
		}
	} finally {
		await cleanup();
	}
	evaluate();
	await finish(0);
}

function evaluate() {
	const g = results.targets[TARGET_NAMES.pglite];
	const gp = results.targets[TARGET_NAMES.pg];
	const ref = results.targets[TARGET_NAMES.reference];
	const get = (t: TargetResult | undefined, k: string, sub?: string): number | null => {
		const v = t?.[k];
		if (sub) return v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, Json>)[sub] === 'number' ? ((v as Record<string, Json>)[sub] as number) : null;
		return typeof v === 'number' ? v : null;
	};
	const galleys = [g, gp].filter((t): t is TargetResult => !!t && typeof t.status === 'string' && !t.status.startsWith('skipped') && !t.status.startsWith('failed'));
	const all = (f: (t: TargetResult) => boolean | null): boolean | null => {
		if (galleys.length === 0) return null;
		const vals = galleys.map(f);
		return vals.includes(null) ? null : vals.every(Boolean);
	};
	const refP99 = get(ref, 'propagation_ms', 'p99');
	const refRss = get(ref, 'rss_per_document_kb');
	results.targets_met = {
		'propagation_p99_within_1.2x_reference': all((t) => {
			const paired = get(t, 'propagation_p99_ratio_to_paired_reference');
			if (paired !== null) return paired <= 1.2;
			return refP99 === null || get(t, 'propagation_ms', 'p99') === null ? null : get(t, 'propagation_ms', 'p99')! <= 1.2 * refP99;
		}),
		// Acks that never cover the edit count as a miss, not as "not measured".
		durable_ack_p99_under_50ms: all((t) => {
			if ((get(t, 'durable_ack_ms', 'missing') ?? 0) > 0) return false;
			return get(t, 'durable_ack_ms', 'p99') === null ? null : get(t, 'durable_ack_ms', 'p99')! < 50;
		}),
		cold_load_1mb_under_100ms: all((t) => (get(t, 'cold_load_1mb_ms') === null ? null : get(t, 'cold_load_1mb_ms')! < 100)),
		rss_per_idle_document_below_reference: all((t) => (refRss === null || get(t, 'rss_per_document_kb') === null ? null : get(t, 'rss_per_document_kb')! < refRss))
	};
	// The cold-load target per database, side by side.
	const coldSummary = (t: TargetResult | undefined): TargetResult | null =>
		t && get(t, 'cold_load_1mb_ms') !== null
			? {
					median_ms: get(t, 'cold_load_1mb_ms'),
					runs_ms: (t.cold_load_1mb_runs_ms as Json) ?? null,
					after_restart_ms: get(t, 'cold_load_after_restart_1mb_ms'),
					under_100ms: get(t, 'cold_load_1mb_ms')! < 100
				}
			: null;
	results.cold_load_1mb = {
		from_postgres: coldSummary(gp),
		from_pglite: coldSummary(g),
		document_update_bytes: get(gp, 'load_doc_update_bytes') ?? get(g, 'load_doc_update_bytes'),
		basis: `median of ${CONFIG.cold_load_runs} cold loads after unload per database (cold_load_1mb_runs_ms); after_restart_ms: one load in a new process (JIT cold), reported, not a target`
	};
	results.targets_met_basis =
		`propagation: p99 of the pooled samples of ${CONFIG.paired_rounds} rounds in which the Galley target and the reference took turns (propagation_p99_ratio_to_paired_reference, rounds in propagation_paired_rounds), else against the reference target; every Galley target that ran (PGlite and, when configured, Postgres) must meet the target; null = not measurable (a figure missing). cold_load_1mb_ms is the median of ${CONFIG.cold_load_runs} loads after the document unloaded (same process), from Postgres and from PGlite separately (see cold_load_1mb); cold_load_after_restart_1mb_ms is reported beside it`;
}

let finished = false;
async function finish(code: number) {
	if (finished) return;
	finished = true;
	for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
	await withTimeout(cleanup(), 12_000, 'cleanup').catch((e) => results.notes.push(String(e)));
	results.machine.loadavg_at_end = os.loadavg().map((x) => Math.round(x * 100) / 100);
	results.total_seconds = round(elapsedS(), 1);
	writeStdout(JSON.stringify(results, null, 2) + '\n', () => process.exit(code));
	setTimeout(() => process.exit(code), 3000).unref();
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.on(sig, () => {
		results.notes.push(`interrupted by ${sig}: results are partial`);
		void finish(130);
	});
}
process.on('unhandledRejection', (err) => {
	progress(`unhandled rejection: ${String(err)}`);
});
// A client library's socket error without a listener (e.g. ws "closed before the connection was
// established" when a provider is destroyed mid-connect) must not take the bench and its cleanup down.
process.on('uncaughtException', (err) => {
	progress(`uncaught exception (bench continues): ${err instanceof Error ? err.message : String(err)}`);
	if (results.notes.length < 20) results.notes.push(`uncaught exception in the bench process: ${err instanceof Error ? err.message : String(err)}`);
});

main().catch((err) => {
	results.notes.push(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
	void finish(1);
});
