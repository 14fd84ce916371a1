// Presence (awareness) as an editor uses it.
import { progress, type TargetResult } from '../common';
import { closeSummary, connectAll } from '../documents';
import { sleep } from '../stats';
import type { Target } from '../targets';

/**
 * Presence as an editor uses it: 4 stock clients (with their awareness echo) on one document each set a
 * `user` field (TipTap's caret does), then a cursor, and stay 3 s. Every client should see 4 states and
 * nobody should be disconnected.
 */
export async function phasePresence(target: Target, out: TargetResult) {
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
