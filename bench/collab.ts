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
// Many documents (phases run only when BENCH_PHASES names them, e.g. BENCH_PHASES=many-docs,idle-crowd; on a
// plain target only when no Galley target runs, since a Galley target's many-docs rounds alternate with the
// paired reference's): many-docs: BENCH_MD_DOCS (200) x BENCH_MD_CLIENTS (5) stock clients, BENCH_MD_RATE
// (edits/s in all, 400, one writer per document), BENCH_MD_SECONDS (20 per round), BENCH_MD_ROUNDS (2, after an
// unmeasured 3 s run); propagation p99 to the other clients of each document, durable ack, ΔRSS per client and
// per document (server RSS before connecting vs under load), server CPU ms per edit. idle-crowd:
// BENCH_IC_ACTIVE_DOCS (20) x BENCH_MD_CLIENTS at BENCH_IC_RATE (edits/s in all, 100) for BENCH_IC_SECONDS (10),
// alone, then beside BENCH_IC_IDLE_DOCS (1000) x BENCH_IC_IDLE_CLIENTS (3) idle clients with presence, then alone.
// BENCH_BUILD: a build folder to run instead of build/ (compare builds back to back: copy an older build aside).
// Edited load (only when BENCH_PHASES names edited-load; bench/collab/phases/edited-load.ts): a ~1 MB document built
// by writers editing (thousands of updates, splits, deletions), then loaded cold on Galley (after it unloaded) and
// warm everywhere: BENCH_EDITED_PARAGRAPHS (2800), BENCH_EDITED_WRITERS (4), BENCH_EDITED_RATE (updates/s per writer,
// 200), BENCH_EDITED_CHUNK (characters typed per update, 48), BENCH_EDITED_RUNS (loads timed, 9),
// BENCH_EDITED_FIRST_UNLOAD_WAIT_MS (8000), BENCH_EDITED_SAVE (a file for the built state).
// Debugging: BENCH_PHASES (comma list of rss, presence, propagation, throughput, load, many-docs, idle-crowd,
// edited-load), BENCH_SERVER_NODE_ARGS (node flags for the server processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
// `npm run -s bench` keeps npm's own banner off stdout, so the output pipes straight into jq.
//
// This file runs the targets in order and writes the report; the parts are in bench/collab/: common.ts (knobs,
// output discipline, the report being filled in), stats.ts, machine.ts (CPU, RSS, garbage collection),
// processes.ts (the server processes and their logs), clients.ts (y-websocket and Hocuspocus clients),
// targets.ts (Galley, the reference server, Hocuspocus), documents.ts (document and ack helpers), phases/
// (warm-up, rss, presence, propagation, throughput, load, many-docs, idle-crowd; fleet.ts drives many documents'
// clients for the last two), run-target.ts (one target's phases, paired with a
// fresh reference), cleanup.ts (the private copy of the build, temporary things), report.ts (targets met, output).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { CONFIG, PG_ADMIN_URL, TARGET_NAMES, elapsedS, progress, results, want, type TargetResult } from './collab/common';
import { cleanup, cleanupState, prepareGalleyBuild } from './collab/cleanup';
import { evaluate, finish } from './collab/report';
import { freshPairedReference, runTarget, stopPairedReference } from './collab/run-target';
import { GalleyTarget, PlainTarget } from './collab/targets';

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
		await stopPairedReference();
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
