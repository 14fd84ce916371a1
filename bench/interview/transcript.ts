// Made-up transcript text for the interview benchmark.
import { FIRST_QUESTION } from './common';

// Made-up transcript text in the bulletin's style (see tests/fixtures/bulletin-issue.txt): BW asks, AV answers.
function seeded(seed: number) {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32);
}
const PLACES = ['the Kessel Hills', 'Halm', 'the lower Varesh', 'Talmar', 'Nerovia', 'Kessland', 'the salt road', 'the Orvin delta', 'the upper weirs', 'Daskar'];
const ACTORS = ['the River Wardens', 'the Amber Brigades', 'the basin council', 'the gauging teams', 'the flood-gate crews', 'the valley cooperatives', 'the Talmari patrols', 'the smuggling families'];
const VERBS = ['depend on', 'distrust', 'answer to', 'bargain with', 'watch', 'supply', 'recruit among', 'pay off'];
const CLAUSES = [
	'since the winter floods cut the road',
	'which nobody in the capitals expected',
	'and the farmers know it',
	'as the gauges show every spring',
	'long before the pact was signed',
	'because the weirs are simple to reach and difficult to protect',
	'while the patrols stay in the towns',
	'which is where the money is'
];
const QUESTIONS = [
	(p: string, a: string) => `How do ${a} see ${p} now that the flood-gate data is shared?`,
	(p: string, a: string) => `Could ${a} lose their hold on ${p} if the patrols move in?`,
	(p: string, a: string) => `What changed in ${p} after the attack on the Halm weir [on December 2]?`,
	(p: string, a: string) => `Who pays ${a} in ${p}, and for how long?`
];
function sentence(rnd: () => number): string {
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
	const s = `${pick(ACTORS)} ${pick(VERBS)} ${pick(ACTORS)} in ${pick(PLACES)}, ${pick(CLAUSES)}.`;
	return s[0].toUpperCase() + s.slice(1);
}
export function interviewTranscript(turns: number, seed = 7): string {
	const rnd = seeded(seed);
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
	const lines = ['_Basin Watch spoke with Dr. Anneli Varga about the Varesh Basin after the winter floods._', ''];
	for (let i = 0; i < turns; i++) {
		if (i === 0) lines.push(`BW: ${FIRST_QUESTION}`);
		else if (i % 2 === 0) lines.push(`BW: ${pick(QUESTIONS)(pick(PLACES), pick(ACTORS))}`);
		else lines.push(`AV: ${Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => sentence(rnd)).join(' ')}`);
		lines.push('');
	}
	return lines.join('\n');
}
/** The number of turns making a transcript of about `bytes`. */
export function turnsFor(bytes: number): number {
	const sample = interviewTranscript(200);
	return Math.max(2, Math.round((bytes / Buffer.byteLength(sample)) * 200));
}

