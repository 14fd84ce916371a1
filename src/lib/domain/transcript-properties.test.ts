// Properties of the transcript parser over generated transcripts (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTranscript, TranscriptError, type ParsedTranscript } from './transcript';
import { shape } from '../../../tests/support/transcript-assertions';

// ---------------------------------------------------------------------------------------------
// Properties

const LABELS = ['BW', 'AV', 'Q', 'A', 'Anneli Varga', 'Dr. Anneli Varga', 'Speaker 1', 'Yusuf Omar al-Hadri'];
const TRICKY = [
	':', ': ', 'BW: ', 'Note: ', '[00:01:23]', '00:01:23 ', '(0:05)', '[on March 9]', '**', '__', '*', '_',
	'<script>alert(1)</script>', '&amp;', '"', "'", '\u2014', '\t', '\u00a0', '  ', 'Q. ', 'A. ', '\u{1F600}', 'é'
];
const NOT_PRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufffd]/;

/** Printable single-line text (tabs allowed), with a bias towards label-like fragments. */
const lineText = fc
	.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom(...TRICKY)), { minLength: 1, maxLength: 8 })
	.map((parts) => parts.join(''))
	.filter((s) => !NOT_PRINTABLE.test(s) && s.trim().length > 0);

/** True if the line, on its own, would be read as a speaker label. */
function isLabelLine(s: string): boolean {
	try {
		parseTranscript(s);
		return true;
	} catch (e) {
		if (e instanceof TranscriptError && e.code === 'no_speakers') return false;
		throw e;
	}
}
const continuationText = lineText.filter((s) => !isLabelLine(s));

describe('properties', () => {
	it('round-trips "LABEL: text" turns', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.constantFrom(...LABELS), continuationText), { minLength: 1, maxLength: 12 }), (turns) => {
				const raw = turns.map(([label, text]) => `${label}: ${text}\n\n`).join('');
				const p = parseTranscript(raw);
				expect(p.leadIn).toEqual([]);
				expect(p.blocks.map((b) => b.speakerLabel)).toEqual(turns.map(([label]) => label));
				expect(p.blocks.map((b) => b.paragraphs)).toEqual(turns.map(([, text]) => [text.trim()]));
				expect(p.blocks.every((b) => b.timestamp === null)).toBe(true);
				expect(p.labels.reduce((n, l) => n + l.count, 0)).toBe(turns.length);
				expect(p.labels.map((l) => l.label)).toEqual([...new Set(turns.map(([label]) => label))]);
			}),
			{ numRuns: 300 }
		);
	});

	it('round-trips the text even when it starts like a label, as long as it follows the label on the same line', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.constantFrom(...LABELS), lineText), { minLength: 1, maxLength: 8 }), (turns) => {
				const p = parseTranscript(turns.map(([label, text]) => `${label}: ${text}`).join('\n'));
				expect(shape(p)).toEqual(turns.map(([label, text]) => [label, [text.trim()], null]));
			}),
			{ numRuns: 300 }
		);
	});

	it('round-trips multi-paragraph turns with label lines and continuation paragraphs', () => {
		fc.assert(
			fc.property(
				fc.array(fc.tuple(fc.constantFrom(...LABELS), fc.array(continuationText, { minLength: 1, maxLength: 4 })), {
					minLength: 1,
					maxLength: 6
				}),
				fc.constantFrom('\n', '\r\n'),
				(turns, eol) => {
					const raw = turns.map(([label, paras]) => `${label}:${eol}${paras.join(eol + eol)}`).join(eol + eol);
					const p = parseTranscript(raw);
					expect(shape(p)).toEqual(turns.map(([label, paras]) => [label, paras.map((t) => t.trim()), null]));
				}
			),
			{ numRuns: 200 }
		);
	});

	it('keeps timestamps given in any supported form', () => {
		const time = fc
			.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }))
			.map(([h, m, s]) => [h, m, s].map((n) => String(n).padStart(2, '0')).join(':'));
		const form = fc.constantFrom(
			(l: string, t: string, x: string) => `[${t}] ${l}: ${x}`,
			(l: string, t: string, x: string) => `${t} ${l}: ${x}`,
			(l: string, t: string, x: string) => `${l} [${t}]: ${x}`,
			(l: string, t: string, x: string) => `${l} (${t}): ${x}`,
			(l: string, t: string, x: string) => `${l}  ${t}\n${x}`
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.constantFrom(...LABELS), time, continuationText, form), { minLength: 1, maxLength: 6 }), (turns) => {
				const p = parseTranscript(turns.map(([l, t, x, f]) => f(l, t, x)).join('\n\n'));
				expect(shape(p)).toEqual(turns.map(([l, t, x]) => [l, [x.trim()], t]));
			}),
			{ numRuns: 200 }
		);
	});

	it('only ever throws TranscriptError, and its output is well-formed, for arbitrary text', () => {
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom(...TRICKY, '\n', '\r\n', '\n\n', 'BW: ', 'Speaker 1 00:00:01\n')), {
					maxLength: 20
				}).map((a) => a.join('')),
				(raw) => {
					let p: ParsedTranscript;
					try {
						p = parseTranscript(raw);
					} catch (e) {
						expect(e).toBeInstanceOf(TranscriptError);
						return;
					}
					const lineCount = raw.split(/\r\n|\r|\n|\u2028|\u2029/).length;
					expect(p.blocks.length).toBeGreaterThan(0);
					for (const b of p.blocks) {
						expect(b.line).toBeGreaterThanOrEqual(1);
						expect(b.line).toBeLessThanOrEqual(lineCount);
						for (const para of b.paragraphs) {
							expect(para).toBe(para.trim());
							expect(para.length).toBeGreaterThan(0);
							expect(para).not.toMatch(/[\r\n]/);
						}
					}
					expect(p.blocks.map((b) => b.line)).toEqual([...p.blocks.map((b) => b.line)].sort((a, b) => a - b));
					expect(p.labels.reduce((n, l) => n + l.count, 0)).toBe(p.blocks.length);
				}
			),
			{ numRuns: 300 }
		);
	});
});
