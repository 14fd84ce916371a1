// What every part of the collaboration benchmark shares: its output discipline and progress line, its knobs
// (CONFIG, the targets and phases asked for) and the JSON report being filled in.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { num } from '../knobs';

// Output discipline: stdout carries exactly one JSON object. Libraries that console.log go to stderr.
export const writeStdout = process.stdout.write.bind(process.stdout);
console.log = (...args: unknown[]) => console.error(...args);
console.info = (...args: unknown[]) => console.error(...args);
export const progress = (msg: string) => process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1)}s] ${msg}\n`);

const T0 = performance.now();
// Every y-websocket provider adds a process 'exit' listener; a thousand of them are expected here.
process.setMaxListeners(0);
export const env = process.env;
export const CONFIG = {
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
	edited_paragraphs: Math.round(num('BENCH_EDITED_PARAGRAPHS', 2800)),
	edited_writers: Math.round(num('BENCH_EDITED_WRITERS', 4)),
	edited_rate_per_writer: num('BENCH_EDITED_RATE', 200),
	edited_chunk_chars: Math.round(num('BENCH_EDITED_CHUNK', 48)),
	edited_runs: Math.round(num('BENCH_EDITED_RUNS', 9)),
	edited_first_unload_wait_ms: num('BENCH_EDITED_FIRST_UNLOAD_WAIT_MS', 8000),
	paired_rounds: Math.round(num('BENCH_PAIRED_ROUNDS', 3)),
	rss_budget_s: num('BENCH_RSS_BUDGET_S', 45),
	hard_limit_s: num('BENCH_HARD_LIMIT_S', 480),
	md_documents: Math.round(num('BENCH_MD_DOCS', 200)),
	md_clients_per_document: Math.max(2, Math.round(num('BENCH_MD_CLIENTS', 5))),
	md_rate: num('BENCH_MD_RATE', 400),
	md_seconds: num('BENCH_MD_SECONDS', 20),
	md_rounds: Math.round(num('BENCH_MD_ROUNDS', 2)),
	ic_idle_documents: Math.round(num('BENCH_IC_IDLE_DOCS', 1000)),
	ic_idle_clients: Math.round(num('BENCH_IC_IDLE_CLIENTS', 3)),
	ic_active_documents: Math.round(num('BENCH_IC_ACTIVE_DOCS', 20)),
	ic_rate: num('BENCH_IC_RATE', 100),
	ic_seconds: num('BENCH_IC_SECONDS', 10)
};
export const PG_ADMIN_URL = env.BENCH_DATABASE_URL?.trim() || env.TEST_DATABASE_URL?.trim() || null;
export const TARGET_NAMES = {
	pglite: 'galley-pglite',
	pg: 'galley-postgres',
	reference: 'reference-y-websocket-server-0.1.1',
	hocuspocus: 'hocuspocus-3.4.4'
} as const;
const wanted = env.BENCH_TARGETS ? new Set(env.BENCH_TARGETS.split(',').map((s) => s.trim())) : null;
export const want = (name: string) => !wanted || wanted.has(name);
const wantedPhases = env.BENCH_PHASES ? new Set(env.BENCH_PHASES.split(',').map((s) => s.trim())) : null;
export const wantPhase = (name: string) => !wantedPhases || wantedPhases.has(name);
/** The long phases (many-docs, idle-crowd) run only when BENCH_PHASES names them. */
export const namedPhase = (name: string) => wantedPhases?.has(name) ?? false;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };
export type TargetResult = { [k: string]: Json | undefined };
export const results: {
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

/** Seconds since the bench started. */
export const elapsedS = () => (performance.now() - T0) / 1000;
