// One target's run: its phases in order, each timed and its failure recorded; the server restarted if it
// dies; Galley's propagation rounds taking turns with a reference server started fresh for it.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CONFIG, TARGET_NAMES, namedPhase, progress, results, want, wantPhase, type Json, type TargetResult } from './common';
import { phaseIdleCrowd } from './phases/idle-crowd';

import { phaseEditedLoad } from './phases/edited-load';
import { phaseLoad } from './phases/load';
import { phaseManyDocs, manyDocsRun } from './phases/many-docs';
import { phasePresence } from './phases/presence';
import { phasePropagation } from './phases/propagation';
import { phaseRss } from './phases/rss';
import { phaseThroughput } from './phases/throughput';
import { warmUp } from './phases/warm-up';
import { readRssKb } from './machine';
import { isFinished } from './report';
import { percentiles, round, sleep } from './stats';
import { PlainTarget, type Target } from './targets';

/** The reference server, kept running after its own turn, for propagation runs paired with each Galley's. */
let pairedReference: Target | null = null;

/** Stop the reference kept for pairing, if one is running (before Hocuspocus, which is not paired). */
export async function stopPairedReference() {
	if (pairedReference) {
		await pairedReference.stop().catch(() => undefined);
		pairedReference = null;
	}
}

/**
 * A reference server for one Galley target's propagation comparison, in the state that target is in when
 * it gets there: started fresh, then the same phases (warm-up, RSS, presence, the propagation warm-up).
 * The reference process that ran the whole sequence before is older by minutes (and faster for it, its
 * code long optimised): comparing with it favoured the reference more, the later a Galley target ran.
 */
export async function freshPairedReference(documents: number): Promise<Target | null> {
	if (pairedReference) await pairedReference.stop().catch(() => undefined);
	pairedReference = null;
	if (!want(TARGET_NAMES.reference) || !(wantPhase('propagation') || namedPhase('many-docs'))) return null;
	const reference = new PlainTarget(TARGET_NAMES.reference, 'bench/reference-server.mjs', 'reference');
	const discard: TargetResult = {};
	try {
		await reference.start();
		await warmUp(reference);
		if (wantPhase('rss')) await phaseRss(reference, discard, documents);
		if (wantPhase('presence')) await phasePresence(reference, discard);
		if (wantPhase('propagation') && CONFIG.propagation_warm_up_seconds > 0) await phasePropagation(reference, discard, undefined, CONFIG.propagation_warm_up_seconds);
		if (namedPhase('many-docs')) await manyDocsRun(reference, Math.min(3, CONFIG.md_seconds));
		pairedReference = reference;
		return reference;
	} catch (err) {
		progress(`paired reference: ${String(err)}`);
		await reference.stop().catch(() => undefined);
		return null;
	}
}

export async function runTarget(target: Target, maxDocuments: number, keepRunning = false) {
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
		// The server's RSS once it listens (and, on Galley, its first account and token are made); on PGlite
		// most of it is PGlite's (its WebAssembly Postgres, shared buffers included).
		out.start_rss_mb = round(readRssKb(target.server.pid) / 1024, 0);
		if (target.name === TARGET_NAMES.pglite) out.pglite_start_rss_mb = out.start_rss_mb;
	} catch (err) {
		out.status = `failed to start: ${err instanceof Error ? err.message : String(err)}`;
		out.server_log_tail = target.server.logs.tail.slice(-20);
		return;
	}
	const deaths: string[] = [];
	/** The server died under us (another test run on this machine may signal it): note it, start it again. */
	const ensureAlive = async () => {
		if (isFinished()) return false; // the hard time limit struck: we are only writing out what we have
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
		// The long phases, only when BENCH_PHASES names them. A plain target runs them only when no Galley
		// target follows (a Galley target's rounds alternate with the paired reference's).
		const pairsLater = !target.galley && (want(TARGET_NAMES.pglite) || want(TARGET_NAMES.pg));
		if (namedPhase('many-docs') && !pairsLater && (await ensureAlive())) {
			await phase('many_docs', () => phaseManyDocs(target, out, target.galley && pairedReference?.server.alive ? pairedReference : null));
		}
		if (namedPhase('idle-crowd') && !pairsLater && (await ensureAlive())) await phase('idle_crowd', () => phaseIdleCrowd(target, out));
		if (wantPhase('throughput') && (await ensureAlive())) await phase('throughput', () => phaseThroughput(target, out));
		if (wantPhase('load') && (await ensureAlive())) await phase('load', () => phaseLoad(target, out));
		if (namedPhase('edited-load') && (await ensureAlive())) await phase('edited_load', () => phaseEditedLoad(target, out));
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
