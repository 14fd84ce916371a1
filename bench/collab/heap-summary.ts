// Summarise V8 heap snapshots (bench/collab/machine.ts writeHeapSnapshot): self size and count per
// constructor name, and with two snapshots what grew from the first to the second. `tsx
// bench/collab/heap-summary.ts before.heapsnapshot [after.heapsnapshot] [per]` — `per` divides the growth
// (e.g. by the number of clients connected between the two).
import fs from 'node:fs';

type Totals = Map<string, { size: number; count: number }>;

function totals(file: string): Totals {
	const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as {
		snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
		nodes: number[];
		strings: string[];
	};
	const fields = snap.snapshot.meta.node_fields;
	const width = fields.length;
	const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
	const types = snap.snapshot.meta.node_types[0];
	const out: Totals = new Map();
	for (let i = 0; i < snap.nodes.length; i += width) {
		const type = types[snap.nodes[i + typeAt]];
		// objects by constructor; the rest (strings, arrays, code, closures…) by their type
		const key = type === 'object' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]] : `(${type})`;
		const t = out.get(key) ?? { size: 0, count: 0 };
		t.size += snap.nodes[i + sizeAt];
		t.count += 1;
		out.set(key, t);
	}
	return out;
}

const [first, second, per = '1'] = process.argv.slice(2);
const a = totals(first);
const rows = second
	? [...totals(second)].map(([k, v]) => ({ name: k, size: v.size - (a.get(k)?.size ?? 0), count: v.count - (a.get(k)?.count ?? 0) }))
	: [...a].map(([k, v]) => ({ name: k, ...v }));
rows.sort((x, y) => y.size - x.size);
const all = rows.reduce((s, r) => s + r.size, 0);
console.log(JSON.stringify({ total_kb: Math.round(all / 1024), per: Number(per), per_unit_kb: Math.round(all / 1024 / Number(per) * 10) / 10, top: rows.slice(0, 40).map((r) => ({ name: r.name, kb: Math.round(r.size / 1024), count: r.count, per_unit_bytes: Math.round(r.size / Number(per)) })) }, null, 1));
