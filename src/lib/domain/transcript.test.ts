import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	MAX_TRANSCRIPT_BYTES,
	parseTranscript,
	suggestRoles,
	TranscriptError,
	type ParsedTranscript,
	type TranscriptErrorCode
} from './transcript';

// ---------------------------------------------------------------------------------------------
// Helpers

const SAMPLE_PATH = path.resolve(process.cwd(), '../shared/sample-issue.txt');
let sampleCache: string | null = null;

/** The real bulletin issue. Missing file = failing test with a clear message (never a skip). */
function sampleIssue(): string {
	if (sampleCache !== null) return sampleCache;
	if (!fs.existsSync(SAMPLE_PATH)) {
		throw new Error(
			`Sample issue not found at ${SAMPLE_PATH}. The transcript tests read the real Terrorism Monitor issue ` +
				`from ../shared/sample-issue.txt relative to the repo root (run vitest from /work/main).`
		);
	}
	sampleCache = fs.readFileSync(SAMPLE_PATH, 'utf8');
	return sampleCache;
}

/** From the line starting "Terrorism Monitor *sat down" to the end of the file, verbatim. */
function sampleInterview(): string {
	const raw = sampleIssue();
	const start = raw.search(/^Terrorism Monitor \*sat down/m);
	if (start === -1) throw new Error(`"Terrorism Monitor *sat down" not found in ${SAMPLE_PATH}`);
	return raw.slice(start);
}

/**
 * An independent reading of the interview, not using the parser: paragraphs are separated by blank
 * lines; "TM: " / "AG: " start a block and every other paragraph continues the block above.
 */
function expectedInterview(text: string) {
	const paras = text
		.replace(/\r\n/g, '\n')
		.split(/\n[ \t]*\n/)
		.map((p) => p.split('\n').map((l) => l.trim()).join(' ').trim())
		.filter((p) => p.length > 0);
	const leadIn: string[] = [];
	const blocks: { label: string; paragraphs: string[] }[] = [];
	for (const p of paras) {
		const m = /^(TM|AG): (.*)$/s.exec(p);
		if (m) blocks.push({ label: m[1], paragraphs: [m[2]] });
		else if (blocks.length === 0) leadIn.push(p);
		else blocks[blocks.length - 1].paragraphs.push(p);
	}
	return { leadIn, blocks };
}

function errorOf(fn: () => unknown): TranscriptError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(TranscriptError);
		return e as TranscriptError;
	}
	throw new Error('expected parseTranscript to throw');
}

function expectError(raw: string, code: TranscriptErrorCode): TranscriptError {
	const e = errorOf(() => parseTranscript(raw));
	expect(e.code).toBe(code);
	return e;
}

/** Blocks reduced to [label, paragraphs, timestamp] for compact assertions. */
function shape(p: ParsedTranscript) {
	return p.blocks.map((b) => [b.speakerLabel, b.paragraphs, b.timestamp] as const);
}

// ---------------------------------------------------------------------------------------------
// The real interview

describe('the Terrorism Monitor interview with Dr. Antonio Giustozzi', () => {
	it('gives 14 blocks alternating TM and AG, 7 questions and 7 answers', () => {
		const p = parseTranscript(sampleInterview());
		expect(p.blocks).toHaveLength(14);
		expect(p.blocks.map((b) => b.speakerLabel)).toEqual(
			Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 'TM' : 'AG'))
		);
		expect(p.labels).toEqual([
			{ label: 'TM', count: 7, firstLine: 3 },
			{ label: 'AG', count: 7, firstLine: 5 }
		]);
		expect(p.blocks.every((b) => b.timestamp === null)).toBe(true);
	});

	it('keeps the italic lead-in paragraph verbatim', () => {
		const p = parseTranscript(sampleInterview());
		const firstLine = sampleInterview().split(/\r?\n/)[0];
		expect(firstLine.startsWith('Terrorism Monitor *sat down with Dr. Antonio Giustozzi')).toBe(true);
		expect(firstLine.endsWith('lightly edited for grammar and clarity.*')).toBe(true);
		// The markers do not wrap the whole paragraph (it opens with roman "Terrorism Monitor "), so
		// nothing is stripped: removing only the trailing '*' would unbalance the inner italics.
		expect(p.leadIn).toEqual([firstLine]);
	});

	it('gives every block exactly the text of its source paragraphs', () => {
		const text = sampleInterview();
		const p = parseTranscript(text);
		const expected = expectedInterview(text);
		expect(expected.blocks).toHaveLength(14); // the independent reading agrees on the shape
		expect(p.leadIn).toEqual(expected.leadIn);
		expect(p.blocks.map((b) => ({ label: b.speakerLabel, paragraphs: b.paragraphs }))).toEqual(expected.blocks);
		// Joined text, compared exactly, block by block and as a whole.
		for (let i = 0; i < 14; i++) {
			expect(p.blocks[i].paragraphs.join('\n\n')).toBe(expected.blocks[i].paragraphs.join('\n\n'));
		}
		const rebuilt = p.blocks.map((b) => `${b.speakerLabel}: ${b.paragraphs.join('\n\n')}`).join('\n\n');
		const source = text
			.split(/\r?\n/)
			.slice(2)
			.filter((l) => l.trim() !== '')
			.join('\n\n');
		expect(rebuilt).toBe(source);
	});

	it('keeps continuation paragraphs, including ones broken mid-sentence by a page break, in their answer', () => {
		const p = parseTranscript(sampleInterview());
		expect(p.blocks.map((b) => b.paragraphs.length)).toEqual([1, 5, 1, 6, 1, 3, 1, 2, 1, 4, 1, 1, 1, 3]);

		const a1 = p.blocks[1].paragraphs;
		expect(a1[0].startsWith('I do not see the Taliban engaging with the press')).toBe(true);
		expect(a1[3].endsWith('in the foreseeable future,')).toBe(true);
		expect(a1[4]).toBe('so funding might have to come from somewhere else, probably through navigating regional rivalries.');

		const a5 = p.blocks[9].paragraphs;
		expect(a5[0].endsWith('and the Sirajuddin/Haqqani network because of')).toBe(true);
		expect(a5[1].startsWith('the latter demanding a disproportionate share of power')).toBe(true);

		const last = sampleInterview().trimEnd().split('\n').pop()!;
		expect(p.blocks[13].paragraphs[2]).toBe(last);
	});

	it('keeps brackets, quotes and dashes inside the text unchanged', () => {
		const p = parseTranscript(sampleInterview());
		expect(p.blocks[4].paragraphs[0]).toMatch(/^The ISKP attack at the Kabul airport \[on August 26\] that killed U\.S\. troops/);
		expect(p.blocks[4].timestamp).toBeNull();
		expect(p.blocks[1].paragraphs[1]).toContain('a close relationship [with either] could have');
		expect(p.blocks[0].paragraphs[0]).toMatch(/^Do you see the Taliban's 'moderation,' including/);
		expect(p.blocks[2].paragraphs[0]).toContain('the Taliban\'s "Islamic Emirate" or ISKP');
		expect(p.blocks[7].paragraphs[1]).toContain('in the east\u2014something large and protected enough');
	});

	it('gives 1-based source line numbers', () => {
		const lines = sampleInterview().split(/\r?\n/);
		const p = parseTranscript(sampleInterview());
		for (const b of p.blocks) {
			expect(lines[b.line - 1].startsWith(`${b.speakerLabel}: `)).toBe(true);
		}
		expect(p.blocks.map((b) => b.line)).toEqual([3, 5, 15, 17, 29, 31, 37, 39, 43, 45, 53, 55, 57, 59]);
	});

	it('finds no false speakers in the rest of the issue (the whole file parses to the same 14 blocks)', () => {
		const whole = parseTranscript(sampleIssue());
		const interview = parseTranscript(sampleInterview());
		expect(shape(whole)).toEqual(shape(interview));
		expect(whole.labels.map((l) => l.label)).toEqual(['TM', 'AG']);
		const offset = sampleIssue().slice(0, sampleIssue().indexOf(sampleInterview())).split('\n').length - 1;
		expect(whole.blocks.map((b) => b.line)).toEqual(interview.blocks.map((b) => b.line + offset));
		expect(whole.leadIn.at(-2)).toBe('Terrorism Monitor Interview With Dr. Antonio Giustozzi');
		expect(whole.leadIn.at(-1)).toBe(interview.leadIn[0]);
	});

	it('gives the same result with Windows line endings and a BOM', () => {
		const lf = parseTranscript(sampleInterview());
		const crlf = parseTranscript('\uFEFF' + sampleInterview().replace(/\r?\n/g, '\r\n'));
		expect(crlf).toEqual(lf);
	});

	it('suggests TM as interviewer and AG as interviewee', () => {
		expect(suggestRoles(parseTranscript(sampleInterview()))).toEqual({ TM: 'interviewer', AG: 'interviewee' });
	});
});

// ---------------------------------------------------------------------------------------------
// Label forms

describe('speaker label forms', () => {
	it('reads short uppercase initials, with or without a dot', () => {
		const p = parseTranscript('TM: Question one?\nAG: Answer one.\nQ.: Dotted?\nABCDE: Five letters.');
		expect(shape(p)).toEqual([
			['TM', ['Question one?'], null],
			['AG', ['Answer one.'], null],
			['Q', ['Dotted?'], null],
			['ABCDE', ['Five letters.'], null]
		]);
	});

	it('reads Q: / A: and print-style "Q. " / "A. "', () => {
		expect(shape(parseTranscript('Q: Why?\nA: Because.'))).toEqual([
			['Q', ['Why?'], null],
			['A', ['Because.'], null]
		]);
		expect(shape(parseTranscript('Q. Why?\n\nA. Because.'))).toEqual([
			['Q', ['Why?'], null],
			['A', ['Because.'], null]
		]);
		// "A. Q. Khan ..." is a name in a sentence, not an answer label.
		const p = parseTranscript('Q: Who?\nA. Q. Khan built it.');
		expect(shape(p)).toEqual([['Q', ['Who? A. Q. Khan built it.'], null]]);
	});

	it('reads full names, with titles and particles', () => {
		const p = parseTranscript(
			[
				'Antonio Giustozzi: One.',
				'Dr. Antonio Giustozzi: Two.',
				'Abu Bakr al-Baghdadi: Three.',
				'Ursula von der Leyen: Four.',
				"Conor O'Brien: Five.",
				'Jean-Paul Sartre: Six.',
				'Émile Durkheim: Seven.',
				'Osama bin Laden: Eight.',
				'Interviewer: Nine.'
			].join('\n')
		);
		expect(p.blocks.map((b) => [b.speakerLabel, b.paragraphs[0]])).toEqual([
			['Antonio Giustozzi', 'One.'],
			['Dr. Antonio Giustozzi', 'Two.'],
			['Abu Bakr al-Baghdadi', 'Three.'],
			['Ursula von der Leyen', 'Four.'],
			["Conor O'Brien", 'Five.'],
			['Jean-Paul Sartre', 'Six.'],
			['Émile Durkheim', 'Seven.'],
			['Osama bin Laden', 'Eight.'],
			['Interviewer', 'Nine.']
		]);
	});

	it('reads otter.ai style label lines with the text on the following lines', () => {
		const raw = [
			'Speaker 1  00:01:23',
			'Thanks for joining us.',
			'It is good to have you.',
			'',
			'Antonio Giustozzi  0:05',
			'Glad to be here.',
			'',
			'Second paragraph.',
			'',
			'Speaker 1  1:02:03',
			'Last one.'
		].join('\n');
		const p = parseTranscript(raw);
		expect(shape(p)).toEqual([
			['Speaker 1', ['Thanks for joining us. It is good to have you.'], '00:01:23'],
			['Antonio Giustozzi', ['Glad to be here.', 'Second paragraph.'], '0:05'],
			['Speaker 1', ['Last one.'], '1:02:03']
		]);
		expect(p.blocks.map((b) => b.line)).toEqual([1, 5, 10]);
		expect(p.labels).toEqual([
			{ label: 'Speaker 1', count: 2, firstLine: 1 },
			{ label: 'Antonio Giustozzi', count: 1, firstLine: 5 }
		]);
	});

	it('reads timestamp-first and timestamp-after-name forms', () => {
		const p = parseTranscript(
			[
				'[00:01:23] Antonio Giustozzi: Bracketed first.',
				'00:01:30 TM: Bare first.',
				'(01:45) AG: Parenthesised mm:ss.',
				'Antonio Giustozzi [00:02:00]: Bracketed after.',
				'Speaker 2 (00:02:10): Rev style.',
				'[00:02:20.500] Q: With a fraction.'
			].join('\n')
		);
		expect(shape(p)).toEqual([
			['Antonio Giustozzi', ['Bracketed first.'], '00:01:23'],
			['TM', ['Bare first.'], '00:01:30'],
			['AG', ['Parenthesised mm:ss.'], '01:45'],
			['Antonio Giustozzi', ['Bracketed after.'], '00:02:00'],
			['Speaker 2', ['Rev style.'], '00:02:10'],
			['Q', ['With a fraction.'], '00:02:20.500']
		]);
	});

	it('rejects impossible timestamps rather than inventing a speaker', () => {
		expectError('[00:99:23] Antonio Giustozzi: nope', 'no_speakers');
		expectError('Speaker 1  00:00:75\nnope', 'no_speakers');
	});

	it('reads Markdown bold labels', () => {
		const p = parseTranscript(
			['**TM:** Question?', '**AG**: Answer.', '__Q:__ Underscores.', '**Antonio Giustozzi:** Named.', '**[00:01:00] A:** Timed.'].join(
				'\n'
			)
		);
		expect(shape(p)).toEqual([
			['TM', ['Question?'], null],
			['AG', ['Answer.'], null],
			['Q', ['Underscores.'], null],
			['Antonio Giustozzi', ['Named.'], null],
			['A', ['Timed.'], '00:01:00']
		]);
	});

	it('normalises labels for grouping: bold, dots and spacing do not make new speakers', () => {
		const p = parseTranscript('**TM:** a\nTM: b\nQ.: c\nQ: d\nAntonio\u00a0  Giustozzi: e\nAntonio Giustozzi: f');
		expect(p.labels).toEqual([
			{ label: 'TM', count: 2, firstLine: 1 },
			{ label: 'Q', count: 2, firstLine: 3 },
			{ label: 'Antonio Giustozzi', count: 2, firstLine: 5 }
		]);
	});

	it('is case-sensitive: lower-case initials and names are not labels', () => {
		expectError('tm: hello\nag: hi', 'no_speakers');
		expectError('antonio giustozzi: hello', 'no_speakers');
	});

	it('allows a label alone on its line with the text below', () => {
		const p = parseTranscript('TM:\nQuestion on the next line?\n\nAG:\nAnswer.');
		expect(shape(p)).toEqual([
			['TM', ['Question on the next line?'], null],
			['AG', ['Answer.'], null]
		]);
	});

	it('keeps a block with no text as a block with no paragraphs', () => {
		const p = parseTranscript('TM:\n\nAG: Something.');
		expect(shape(p)).toEqual([
			['TM', [], null],
			['AG', ['Something.'], null]
		]);
	});
});

describe('things that are not speaker labels', () => {
	const notLabels = [
		'Note: this is an editorial note.',
		'NOTE: shouting note.',
		"Editor's note: corrected on Monday.",
		'Editor’s Note: curly apostrophe.',
		'Update: the group later claimed it.',
		'Source: Reuters.',
		'Correction: the date was wrong.',
		'Warning: graphic content.',
		'Example: a sentence.',
		'Summary: the gist.',
		'He said: this is not a speaker.',
		'The Chinese: not a speaker either.',
		'However: a sentence.',
		'In short: a sentence.',
		'August 26: a date heading.',
		'https://example.org/a: a URL',
		'PS: postscript.',
		'Kabul, August 2021: a dateline.',
		'Taliban and Pakistan: lower-case joiner.',
		'A Very Long Heading With Many Many Words In It: too many words.',
		'Aaaaaaaaaaaaaaaaaaaa Bbbbbbbbbbbbbbbbbbbbbbbb: too long.',
		'The meeting was at 10:30: no.',
		'10:30 was the time: no.',
		'[on August 26] TM: a bracket that is not a timestamp.',
		'<b>TM:</b> markup is not interpreted.',
		'<p>AG: inside a paragraph tag.</p>',
		'TM:no space after the colon',
		'*TM:* single-star italics are not bold.'
	];

	it.each(notLabels)('%s', (line) => {
		expectError(line, 'no_speakers');
		// ... and as a continuation line it stays in the block above, unchanged.
		const p = parseTranscript(`AG: First line.\n${line}`);
		expect(shape(p)).toEqual([['AG', [`First line. ${line}`], null]]);
	});

	it('keeps a "Note:" paragraph inside the answer above it', () => {
		const p = parseTranscript('TM: Question?\n\nAG: Answer.\n\nNote: the answer was given in Dari.\n\nTM: Next?');
		expect(shape(p)).toEqual([
			['TM', ['Question?'], null],
			['AG', ['Answer.', 'Note: the answer was given in Dari.'], null],
			['TM', ['Next?'], null]
		]);
	});
});

// ---------------------------------------------------------------------------------------------
// Paragraphs and whitespace

describe('paragraphs, continuation lines and whitespace', () => {
	it('joins consecutive lines with one space and splits paragraphs on blank lines', () => {
		const p = parseTranscript('AG: one\ntwo\n   three   \n\n\n\nfour\n \t \nfive');
		expect(shape(p)).toEqual([['AG', ['one two three', 'four', 'five'], null]]);
	});

	it('keeps inner whitespace of a line but trims tabs and nbsp at paragraph edges', () => {
		const p = parseTranscript('AG:\t\u00a0 a  b\t\tc \u00a0\n\u00a0\td   e\u00a0');
		expect(p.blocks[0].paragraphs).toEqual(['a  b\t\tc d   e']);
	});

	it('handles CRLF, lone CR and a BOM', () => {
		const expected = [['TM', ['Hi there'], null], ['AG', ['Hello', 'Again'], null]];
		expect(shape(parseTranscript('\uFEFFTM: Hi\r\nthere\r\nAG: Hello\r\n\r\nAgain\r\n'))).toEqual(expected);
		expect(shape(parseTranscript('TM: Hi\rthere\rAG: Hello\r\rAgain'))).toEqual(expected);
	});

	it('collects everything before the first label as the lead-in, stripping surrounding italics', () => {
		const p = parseTranscript('*We spoke to the author.*\n\n_Edited for length._\n\nPlain intro\nover two lines.\n\nTM: Go.');
		expect(p.leadIn).toEqual(['We spoke to the author.', 'Edited for length.', 'Plain intro over two lines.']);
	});

	it('leaves the lead-in alone when the markers do not wrap a single italic span', () => {
		const p = parseTranscript('*One* and *two*\n\n**Bold lead**\n\n*Unclosed lead\n\nTM: Go.');
		expect(p.leadIn).toEqual(['*One* and *two*', '**Bold lead**', '*Unclosed lead']);
	});

	it('has an empty lead-in when the transcript starts with a label', () => {
		expect(parseTranscript('TM: Go.').leadIn).toEqual([]);
	});

	it('never interprets HTML or Markdown in the text', () => {
		const html = '<script>alert("x")</script> <img src=x onerror=alert(1)> &amp; &lt;b&gt;';
		const md = '**bold** _it_ [link](javascript:alert(1)) `code` # not a heading';
		const p = parseTranscript(`TM: ${html}\n\nAG: ${md}\n<b>still AG</b>`);
		expect(shape(p)).toEqual([
			['TM', [html], null],
			['AG', [`${md} <b>still AG</b>`], null]
		]);
	});
});

// ---------------------------------------------------------------------------------------------
// Hostile input

describe('hostile input', () => {
	it('rejects empty and whitespace-only text', () => {
		for (const raw of ['', '   ', '\n\n\t\r\n', '\uFEFF', '\uFEFF \u00a0\n']) {
			const e = expectError(raw, 'empty');
			expect(e.message).toBe('The transcript is empty.');
		}
	});

	it('rejects text with NUL bytes as binary', () => {
		const e = expectError('TM: hello\u0000world\nAG: hi', 'binary');
		expect(e.message).toBe('This looks like a binary file, not a text transcript.');
	});

	it('rejects bytes decoded as text (control and replacement characters) as binary', () => {
		// What a PNG/ZIP looks like after a lossy UTF-8 decode.
		const bytes = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x80, 0x81];
		const decoded = new TextDecoder().decode(new Uint8Array(bytes.concat(bytes, bytes))).replace(/\0/g, '');
		expectError(`TM: ${decoded}`, 'binary');
		expectError('TM: ' + '\uFFFD'.repeat(20) + 'abc', 'binary');
	});

	it('draws the binary line at 10% control characters', () => {
		const text = 'TM: ' + 'a'.repeat(86); // 90 chars
		expectError(text + '\u0001'.repeat(11), 'binary'); // 11 / 101 > 10%
		expect(parseTranscript(text + '\u0001'.repeat(10)).blocks).toHaveLength(1); // 10 / 100 is not > 10%
		// Tabs, form feeds and line breaks are ordinary whitespace.
		expect(parseTranscript('TM:\t\t\t\t\fa\n\n\n\n\n\nb\t\t\t').blocks[0].paragraphs).toEqual(['a', 'b']);
	});

	it('rejects more than 5 MiB of text and states the limit', () => {
		expect(MAX_TRANSCRIPT_BYTES).toBe(5 * 1024 * 1024);
		const sixMiB = 'TM: ' + 'a'.repeat(6 * 1024 * 1024);
		const e = expectError(sixMiB, 'too_large');
		expect(e.message).toMatch(/5 MiB/);
	});

	it('measures the limit in UTF-8 bytes, not UTF-16 units', () => {
		// 2,000,000 euro signs: 2 M code units but 6 M bytes.
		expectError('TM: ' + '\u20ac'.repeat(2_000_000), 'too_large');
		// 1,300,000 emoji: 2.6 M code units, 5.2 M bytes (4 each), just under the limit.
		const p = parseTranscript('TM: ' + '\u{1F600}'.repeat(1_300_000));
		expect(p.blocks[0].paragraphs[0].length).toBe(2_600_000);
		expectError('TM: ' + '\u{1F600}'.repeat(1_311_000), 'too_large');
	});

	it('accepts exactly the limit', () => {
		const raw = 'TM: ' + 'a'.repeat(MAX_TRANSCRIPT_BYTES - 4);
		expect(parseTranscript(raw).blocks).toHaveLength(1);
		expectError(raw + 'a', 'too_large');
	});

	it('rejects text without speaker labels, with a helpful message', () => {
		const e = expectError('Just an article.\n\nWith two paragraphs: and a colon.', 'no_speakers');
		expect(e.message).toBe("No speaker labels found. Label each turn like 'TM: …' or 'Antonio Giustozzi: …'.");
	});

	it('throws a proper Error subclass', () => {
		const e = expectError('', 'empty');
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('TranscriptError');
	});

	it('copes with many short lines and long lines quickly', () => {
		const turns = Array.from({ length: 20_000 }, (_, i) => `${i % 2 ? 'AG' : 'TM'}: turn ${i}`).join('\n');
		const start = performance.now();
		const p = parseTranscript(turns + '\n' + 'x: '.repeat(200_000));
		expect(p.blocks).toHaveLength(20_000);
		// Long runs of inner whitespace, stars and colons (inputs that make naive trim/label regexes backtrack).
		const q = parseTranscript(
			'AG: a' + ' '.repeat(300_000) + 'b' + '\t'.repeat(300_000) + 'c\n' + '**' + 'x'.repeat(500_000) + '\n' + 'A'.repeat(60) + ':'.repeat(100_000)
		);
		expect(q.blocks).toHaveLength(1);
		expect(q.blocks[0].paragraphs[0].length).toBe(600_003 + 1 + 500_002 + 1 + 100_060);
		expect(performance.now() - start).toBeLessThan(5_000);
	});
});

// ---------------------------------------------------------------------------------------------
// Roles

describe('suggestRoles', () => {
	const roles = (raw: string) => suggestRoles(parseTranscript(raw));

	it('makes the first speaker the interviewer by default', () => {
		expect(roles('Speaker 1: a\nSpeaker 2: b\nSpeaker 3: c\nSpeaker 1: d')).toEqual({
			'Speaker 1': 'interviewer',
			'Speaker 2': 'interviewee',
			'Speaker 3': 'interviewee'
		});
		expect(roles('Antonio Giustozzi: I start.\nTM: Then me.')).toEqual({
			'Antonio Giustozzi': 'interviewer',
			TM: 'interviewee'
		});
	});

	it('recognises Q and Interviewer even when they do not speak first', () => {
		expect(roles('A: answer first\nQ: question')).toEqual({ A: 'interviewee', Q: 'interviewer' });
		expect(roles('Antonio Giustozzi: hello\nInterviewer: welcome')).toEqual({
			'Antonio Giustozzi': 'interviewee',
			Interviewer: 'interviewer'
		});
	});

	it('gives every label a role', () => {
		const p = parseTranscript(sampleInterview());
		expect(Object.keys(suggestRoles(p)).sort()).toEqual(p.labels.map((l) => l.label).sort());
	});
});

// ---------------------------------------------------------------------------------------------
// Properties

const LABELS = ['TM', 'AG', 'Q', 'A', 'Antonio Giustozzi', 'Dr. Antonio Giustozzi', 'Speaker 1', 'Abu Bakr al-Baghdadi'];
const TRICKY = [
	':', ': ', 'TM: ', 'Note: ', '[00:01:23]', '00:01:23 ', '(0:05)', '[on August 26]', '**', '__', '*', '_',
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
				fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom(...TRICKY, '\n', '\r\n', '\n\n', 'TM: ', 'Speaker 1 00:00:01\n')), {
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
