// Warm-up before anything is measured.
import { performance } from 'node:perf_hooks';
import { addParagraph, connectAll } from '../documents';
import { sleep } from '../stats';
import type { Target } from '../targets';

/** Warm the server up; returns how long creating a document and connecting a client take here. */
export async function warmUp(target: Target): Promise<{ createMs: number; connectMs: number }> {
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
