// Made-up "Basin Watch" text for the pieces benchmark: seeded, so every run seeds the same pieces.

export function seeded(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** 100 made-up places (Varesh, Nerovia, Kesland …): a piece is about one or two, so a place's name is in a few percent of pieces. */
const PLACES = ['Var', 'Ner', 'Kes', 'Tal', 'Or', 'Ish', 'Sel', 'Am', 'Dun', 'Mir'].flatMap((a) => ['esh', 'ovia', 'land', 'mar', 'un', 'an', 'ka', 'ber', 'holt', 'idge'].map((b) => a + b));
const ACTORS = ['the River Wardens', 'the Amber Brigades', 'the basin authority', 'the water ministry', 'farmers’ unions', 'the delta militia', 'ferry operators', 'the border police', 'dam engineers', 'local councils'];
const VERBS = ['closed', 'reopened', 'seized', 'inspected', 'flooded', 'rationed', 'blockaded', 'repaired', 'surveyed', 'contested'];
const THINGS = ['the canal locks', 'three pumping stations', 'the flood gates', 'the northern reservoir', 'irrigation channels', 'the ferry crossing', 'grain barges', 'the hydro plant', 'water permits', 'the levee road'];
const WHEN = ['on Tuesday', 'last week', 'in early May', 'overnight', 'after the spring melt', 'during the drought', 'since March', 'for the third time this year'];
const WHY = ['after talks stalled', 'citing sabotage', 'as reservoirs fell', 'amid rising fares', 'to protect downstream farms', 'under a new sharing accord', 'while prices doubled', 'despite protests'];
const TITLE_HEADS = ['Sabotage on', 'Shortages in', 'Talks over', 'Protests at', 'Floods reach', 'Militia moves on', 'Permits halted in', 'Ferries stop at', 'Drought grips', 'Accord signed for'];

const pick = <T>(rand: () => number, list: readonly T[]) => list[Math.floor(rand() * list.length)];

export function sentence(rand: () => number, places: readonly string[] = PLACES): string {
	const s = `${pick(rand, ACTORS)} ${pick(rand, VERBS)} ${pick(rand, THINGS)} in ${pick(rand, places)} ${pick(rand, WHEN)}, ${pick(rand, WHY)}.`;
	return s[0].toUpperCase() + s.slice(1);
}

export function title(rand: () => number, n: number): string {
	return `${pick(rand, TITLE_HEADS)} ${pick(rand, PLACES)} (${n})`;
}

/** A brief (2–4 paragraphs) or an article (sections with `## ` headings): 100–900 words. */
export function pieceText(rand: () => number, kind: 'brief' | 'article'): string {
	const places = [pick(rand, PLACES), pick(rand, PLACES)];
	const paragraph = () => Array.from({ length: 3 + Math.floor(rand() * 4) }, () => sentence(rand, places)).join(' ');
	if (kind === 'brief') return Array.from({ length: 2 + Math.floor(rand() * 3) }, paragraph).join('\n\n');
	const parts: string[] = [paragraph(), paragraph()];
	for (let i = 0, n = 2 + Math.floor(rand() * 3); i < n; i++) parts.push(`## ${pick(rand, TITLE_HEADS)} ${pick(rand, places)}`, paragraph(), paragraph());
	return parts.join('\n\n');
}

/**
 * What a reader searches for: a place (in about 2% of pieces), a place and a topic, a prefix being typed,
 * and common words (in most pieces: the worst case for counting the matches).
 */
export const SEARCHES = ['Varesh', 'Kesland sabotage', 'Nerovia levee', 'Talmar ferry', 'Amber Brigades', 'Orun', 'Selka drought', 'Mirholt permits', 'reservoir', 'Dunidge'];
