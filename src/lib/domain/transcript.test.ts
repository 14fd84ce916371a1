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
import { bulletinInterview, bulletinIssue, hasReferenceSample, referenceInterview, referenceSample } from '../../../tests/support/bulletin-issue';

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * An independent reading of an interview, not using the parser: paragraphs are separated by blank
 * lines; a paragraph starting with one of `labels` and ": " starts a block and every other paragraph
 * continues the block above.
 */
function expectedInterview(text: string, labels: [string, string] = ['BW', 'AV']) {
	const paras = text
		.replace(/\r\n/g, '\n')
		.split(/\n[ \t]*\n/)
		.map((p) => p.split('\n').map((l) => l.trim()).join(' ').trim())
		.filter((p) => p.length > 0);
	const leadIn: string[] = [];
	const blocks: { label: string; paragraphs: string[] }[] = [];
	const labelRe = new RegExp(`^(${labels.join('|')}): (.*)$`, 's');
	for (const p of paras) {
		const m = labelRe.exec(p);
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
// The bulletin's interview (tests/fixtures/bulletin-issue.txt)

describe('the Basin Watch interview with Dr. Anneli Varga', () => {
	it('gives 12 blocks alternating BW and AV, 6 questions and 6 answers', () => {
		const p = parseTranscript(bulletinInterview());
		expect(p.blocks).toHaveLength(12);
		expect(p.blocks.map((b) => b.speakerLabel)).toEqual(
			Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'BW' : 'AV'))
		);
		expect(p.labels).toEqual([
			{ label: 'BW', count: 6, firstLine: 3 },
			{ label: 'AV', count: 6, firstLine: 5 }
		]);
		expect(p.blocks.every((b) => b.timestamp === null)).toBe(true);
	});

	it('keeps the italic lead-in paragraph verbatim', () => {
		const p = parseTranscript(bulletinInterview());
		const firstLine = bulletinInterview().split(/\r?\n/)[0];
		expect(firstLine.startsWith('Basin Watch *spoke with Dr. Anneli Varga, author of *Rivers Without Borders*')).toBe(true);
		expect(firstLine.endsWith('condensed and edited for clarity.*')).toBe(true);
		// The markers do not wrap the whole paragraph (it opens with roman "Basin Watch "), so
		// nothing is stripped: removing only the trailing '*' would unbalance the inner italics.
		expect(p.leadIn).toEqual([firstLine]);
	});

	it('gives every block exactly the text of its source paragraphs', () => {
		const text = bulletinInterview();
		const p = parseTranscript(text);
		const expected = expectedInterview(text);
		expect(expected.blocks).toHaveLength(12); // the independent reading agrees on the shape
		expect(p.leadIn).toEqual(expected.leadIn);
		expect(p.blocks.map((b) => ({ label: b.speakerLabel, paragraphs: b.paragraphs }))).toEqual(expected.blocks);
		// Joined text, compared exactly, block by block and as a whole.
		for (let i = 0; i < 12; i++) {
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
		const p = parseTranscript(bulletinInterview());
		expect(p.blocks.map((b) => b.paragraphs.length)).toEqual([1, 4, 1, 3, 1, 3, 1, 1, 1, 4, 1, 2]);

		const a1 = p.blocks[1].paragraphs;
		expect(a1[0].startsWith('The gauging network on its own will not recruit anyone;')).toBe(true);
		expect(a1[2].endsWith('many more salaries before next spring,')).toBe(true);
		expect(a1[3]).toBe('so the extra money would have to be found elsewhere, most likely among farmers who buy the water the pact no longer allows them to draw.');

		const a5 = p.blocks[9].paragraphs;
		expect(a5[0].endsWith('rather than its trade, largely because of')).toBe(true);
		expect(a5[1]).toBe('the money: the families still control most of it.');

		const last = bulletinInterview().trimEnd().split('\n').pop()!;
		expect(p.blocks[11].paragraphs[1]).toBe(last);
	});

	it('keeps brackets, quotes and dashes inside the text unchanged', () => {
		const p = parseTranscript(bulletinInterview());
		expect(p.blocks[4].paragraphs[0]).toMatch(/^The attack on the Halm weir \[on December 2\] was, in hindsight, predictable; which/);
		expect(p.blocks[4].timestamp).toBeNull();
		expect(p.blocks[1].paragraphs[1]).toContain('a close arrangement [with either] might read locally');
		expect(p.blocks[0].paragraphs[0]).toMatch(/^Could the pact's 'success,' with its/);
		expect(p.blocks[9].paragraphs[2]).toContain('the spokesman, "Tamas of the Salt Road," against');
		expect(p.blocks[8].paragraphs[0]).toContain('the old salt-road families');
	});

	it('gives 1-based source line numbers', () => {
		const lines = bulletinInterview().split(/\r?\n/);
		const p = parseTranscript(bulletinInterview());
		for (const b of p.blocks) {
			expect(lines[b.line - 1].startsWith(`${b.speakerLabel}: `)).toBe(true);
		}
		expect(p.blocks.map((b) => b.line)).toEqual([3, 5, 13, 15, 21, 23, 29, 31, 33, 35, 43, 45]);
	});

	it('finds no false speakers in the rest of the issue (the whole file parses to the same 12 blocks)', () => {
		const whole = parseTranscript(bulletinIssue());
		const interview = parseTranscript(bulletinInterview());
		expect(shape(whole)).toEqual(shape(interview));
		expect(whole.labels.map((l) => l.label)).toEqual(['BW', 'AV']);
		const offset = bulletinIssue().slice(0, bulletinIssue().indexOf(bulletinInterview())).split('\n').length - 1;
		expect(whole.blocks.map((b) => b.line)).toEqual(interview.blocks.map((b) => b.line + offset));
		expect(whole.leadIn.at(-2)).toBe('Basin Watch Interview With Dr. Anneli Varga');
		expect(whole.leadIn.at(-1)).toBe(interview.leadIn[0]);
	});

	it('gives the same result with Windows line endings and a BOM', () => {
		const lf = parseTranscript(bulletinInterview());
		const crlf = parseTranscript('\uFEFF' + bulletinInterview().replace(/\r?\n/g, '\r\n'));
		expect(crlf).toEqual(lf);
	});

	it('suggests BW as interviewer and AV as interviewee', () => {
		expect(suggestRoles(parseTranscript(bulletinInterview()))).toEqual({ BW: 'interviewer', AV: 'interviewee' });
	});
});

// ---------------------------------------------------------------------------------------------
// The reference sample, an extra check where it lies beside the repository

describe('the interview of the reference sample (when the reference sample is present)', () => {
	it.runIf(hasReferenceSample)('parses to alternating question and answer blocks with exactly the text of its paragraphs (when the reference sample is present)', () => {
		const { text, labels } = referenceInterview();
		const p = parseTranscript(text);
		const expected = expectedInterview(text, labels);
		expect(p.labels.map((l) => l.label)).toEqual(labels);
		expect(p.blocks.map((b) => b.speakerLabel)).toEqual(p.blocks.map((_, i) => labels[i % 2]));
		expect(p.leadIn).toEqual(expected.leadIn);
		expect(p.blocks.map((b) => ({ label: b.speakerLabel, paragraphs: b.paragraphs }))).toEqual(expected.blocks);
		expect(suggestRoles(p)).toEqual({ [labels[0]]: 'interviewer', [labels[1]]: 'interviewee' });
	});

	it.runIf(hasReferenceSample)('finds no false speakers in the rest of the issue (when the reference sample is present)', () => {
		const { text } = referenceInterview();
		const whole = parseTranscript(referenceSample());
		expect(shape(whole)).toEqual(shape(parseTranscript(text)));
	});
});

// ---------------------------------------------------------------------------------------------
// Label forms

describe('speaker label forms', () => {
	it('reads short uppercase initials, with or without a dot', () => {
		const p = parseTranscript('BW: Question one?\nAV: Answer one.\nQ.: Dotted?\nABCDE: Five letters.');
		expect(shape(p)).toEqual([
			['BW', ['Question one?'], null],
			['AV', ['Answer one.'], null],
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
		// "A. B. Kerr ..." is a name in a sentence, not an answer label.
		const p = parseTranscript('Q: Who?\nA. B. Kerr built it.');
		expect(shape(p)).toEqual([['Q', ['Who? A. B. Kerr built it.'], null]]);
	});

	it('reads full names, with titles and particles', () => {
		const p = parseTranscript(
			[
				'Anneli Varga: One.',
				'Dr. Anneli Varga: Two.',
				'Yusuf Omar al-Hadri: Three.',
				'Greta von der Aue: Four.',
				"Niamh O'Dowd: Five.",
				'Jean-Luc Marchetti: Six.',
				'Émile Vautrin: Seven.',
				'Tariq bin Saleem: Eight.',
				'Interviewer: Nine.'
			].join('\n')
		);
		expect(p.blocks.map((b) => [b.speakerLabel, b.paragraphs[0]])).toEqual([
			['Anneli Varga', 'One.'],
			['Dr. Anneli Varga', 'Two.'],
			['Yusuf Omar al-Hadri', 'Three.'],
			['Greta von der Aue', 'Four.'],
			["Niamh O'Dowd", 'Five.'],
			['Jean-Luc Marchetti', 'Six.'],
			['Émile Vautrin', 'Seven.'],
			['Tariq bin Saleem', 'Eight.'],
			['Interviewer', 'Nine.']
		]);
	});

	it('reads otter.ai style label lines with the text on the following lines', () => {
		const raw = [
			'Speaker 1  00:01:23',
			'Thanks for joining us.',
			'It is good to have you.',
			'',
			'Anneli Varga  0:05',
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
			['Anneli Varga', ['Glad to be here.', 'Second paragraph.'], '0:05'],
			['Speaker 1', ['Last one.'], '1:02:03']
		]);
		expect(p.blocks.map((b) => b.line)).toEqual([1, 5, 10]);
		expect(p.labels).toEqual([
			{ label: 'Speaker 1', count: 2, firstLine: 1 },
			{ label: 'Anneli Varga', count: 1, firstLine: 5 }
		]);
	});

	it('reads timestamp-first and timestamp-after-name forms', () => {
		const p = parseTranscript(
			[
				'[00:01:23] Anneli Varga: Bracketed first.',
				'00:01:30 BW: Bare first.',
				'(01:45) AV: Parenthesised mm:ss.',
				'Anneli Varga [00:02:00]: Bracketed after.',
				'Speaker 2 (00:02:10): Rev style.',
				'[00:02:20.500] Q: With a fraction.'
			].join('\n')
		);
		expect(shape(p)).toEqual([
			['Anneli Varga', ['Bracketed first.'], '00:01:23'],
			['BW', ['Bare first.'], '00:01:30'],
			['AV', ['Parenthesised mm:ss.'], '01:45'],
			['Anneli Varga', ['Bracketed after.'], '00:02:00'],
			['Speaker 2', ['Rev style.'], '00:02:10'],
			['Q', ['With a fraction.'], '00:02:20.500']
		]);
	});

	it('rejects impossible timestamps rather than inventing a speaker', () => {
		expectError('[00:99:23] Anneli Varga: nope', 'no_speakers');
		expectError('Speaker 1  00:00:75\nnope', 'no_speakers');
	});

	it('reads Markdown bold labels', () => {
		const p = parseTranscript(
			['**BW:** Question?', '**AV**: Answer.', '__Q:__ Underscores.', '**Anneli Varga:** Named.', '**[00:01:00] A:** Timed.'].join(
				'\n'
			)
		);
		expect(shape(p)).toEqual([
			['BW', ['Question?'], null],
			['AV', ['Answer.'], null],
			['Q', ['Underscores.'], null],
			['Anneli Varga', ['Named.'], null],
			['A', ['Timed.'], '00:01:00']
		]);
	});

	it('normalises labels for grouping: bold, dots and spacing do not make new speakers', () => {
		const p = parseTranscript('**BW:** a\nBW: b\nQ.: c\nQ: d\nAnneli\u00a0  Varga: e\nAnneli Varga: f');
		expect(p.labels).toEqual([
			{ label: 'BW', count: 2, firstLine: 1 },
			{ label: 'Q', count: 2, firstLine: 3 },
			{ label: 'Anneli Varga', count: 2, firstLine: 5 }
		]);
	});

	it('is case-sensitive: lower-case initials and names are not labels', () => {
		expectError('bw: hello\nav: hi', 'no_speakers');
		expectError('anneli varga: hello', 'no_speakers');
	});

	it('allows a label alone on its line with the text below', () => {
		const p = parseTranscript('BW:\nQuestion on the next line?\n\nAV:\nAnswer.');
		expect(shape(p)).toEqual([
			['BW', ['Question on the next line?'], null],
			['AV', ['Answer.'], null]
		]);
	});

	it('keeps a block with no text as a block with no paragraphs', () => {
		const p = parseTranscript('BW:\n\nAV: Something.');
		expect(shape(p)).toEqual([
			['BW', [], null],
			['AV', ['Something.'], null]
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
		'Source: Basin Wire.',
		'Correction: the date was wrong.',
		'Warning: graphic content.',
		'Example: a sentence.',
		'Summary: the gist.',
		'He said: this is not a speaker.',
		'The Nerovians: not a speaker either.',
		'However: a sentence.',
		'In short: a sentence.',
		'March 9: a date heading.',
		'https://example.org/a: a URL',
		'PS: postscript.',
		'Port Selby, March 2024: a dateline.',
		'Talmar and Nerovia: lower-case joiner.',
		'A Very Long Heading With Many Many Words In It: too many words.',
		'Aaaaaaaaaaaaaaaaaaaa Bbbbbbbbbbbbbbbbbbbbbbbb: too long.',
		'The meeting was at 10:30: no.',
		'10:30 was the time: no.',
		'[on March 9] BW: a bracket that is not a timestamp.',
		'<b>BW:</b> markup is not interpreted.',
		'<p>AV: inside a paragraph tag.</p>',
		'BW:no space after the colon',
		'*BW:* single-star italics are not bold.'
	];

	it.each(notLabels)('%s', (line) => {
		expectError(line, 'no_speakers');
		// ... and as a continuation line it stays in the block above, unchanged.
		const p = parseTranscript(`AV: First line.\n${line}`);
		expect(shape(p)).toEqual([['AV', [`First line. ${line}`], null]]);
	});

	it('keeps a "Note:" paragraph inside the answer above it', () => {
		const p = parseTranscript('BW: Question?\n\nAV: Answer.\n\nNote: the answer was given in Talmari.\n\nBW: Next?');
		expect(shape(p)).toEqual([
			['BW', ['Question?'], null],
			['AV', ['Answer.', 'Note: the answer was given in Talmari.'], null],
			['BW', ['Next?'], null]
		]);
	});
});

// ---------------------------------------------------------------------------------------------
// Paragraphs and whitespace

describe('paragraphs, continuation lines and whitespace', () => {
	it('joins consecutive lines with one space and splits paragraphs on blank lines', () => {
		const p = parseTranscript('AV: one\ntwo\n   three   \n\n\n\nfour\n \t \nfive');
		expect(shape(p)).toEqual([['AV', ['one two three', 'four', 'five'], null]]);
	});

	it('keeps inner whitespace of a line but trims tabs and nbsp at paragraph edges', () => {
		const p = parseTranscript('AV:\t\u00a0 a  b\t\tc \u00a0\n\u00a0\td   e\u00a0');
		expect(p.blocks[0].paragraphs).toEqual(['a  b\t\tc d   e']);
	});

	it('handles CRLF, lone CR and a BOM', () => {
		const expected = [['BW', ['Hi there'], null], ['AV', ['Hello', 'Again'], null]];
		expect(shape(parseTranscript('\uFEFFBW: Hi\r\nthere\r\nAV: Hello\r\n\r\nAgain\r\n'))).toEqual(expected);
		expect(shape(parseTranscript('BW: Hi\rthere\rAV: Hello\r\rAgain'))).toEqual(expected);
	});

	it('collects everything before the first label as the lead-in, stripping surrounding italics', () => {
		const p = parseTranscript('*We spoke to the author.*\n\n_Edited for length._\n\nPlain intro\nover two lines.\n\nBW: Go.');
		expect(p.leadIn).toEqual(['We spoke to the author.', 'Edited for length.', 'Plain intro over two lines.']);
	});

	it('leaves the lead-in alone when the markers do not wrap a single italic span', () => {
		const p = parseTranscript('*One* and *two*\n\n**Bold lead**\n\n*Unclosed lead\n\nBW: Go.');
		expect(p.leadIn).toEqual(['*One* and *two*', '**Bold lead**', '*Unclosed lead']);
	});

	it('has an empty lead-in when the transcript starts with a label', () => {
		expect(parseTranscript('BW: Go.').leadIn).toEqual([]);
	});

	it('never interprets HTML or Markdown in the text', () => {
		const html = '<script>alert("x")</script> <img src=x onerror=alert(1)> &amp; &lt;b&gt;';
		const md = '**bold** _it_ [link](javascript:alert(1)) `code` # not a heading';
		const p = parseTranscript(`BW: ${html}\n\nAV: ${md}\n<b>still AV</b>`);
		expect(shape(p)).toEqual([
			['BW', [html], null],
			['AV', [`${md} <b>still AV</b>`], null]
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
		const e = expectError('BW: hello\u0000world\nAV: hi', 'binary');
		expect(e.message).toBe('This looks like a binary file, not a text transcript.');
	});

	it('rejects bytes decoded as text (control and replacement characters) as binary', () => {
		// What a PNG/ZIP looks like after a lossy UTF-8 decode.
		const bytes = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x80, 0x81];
		const decoded = new TextDecoder().decode(new Uint8Array(bytes.concat(bytes, bytes))).replace(/\0/g, '');
		expectError(`BW: ${decoded}`, 'binary');
		expectError('BW: ' + '\uFFFD'.repeat(20) + 'abc', 'binary');
	});

	it('draws the binary line at 10% control characters', () => {
		const text = 'BW: ' + 'a'.repeat(86); // 90 chars
		expectError(text + '\u0001'.repeat(11), 'binary'); // 11 / 101 > 10%
		expect(parseTranscript(text + '\u0001'.repeat(10)).blocks).toHaveLength(1); // 10 / 100 is not > 10%
		// Tabs, form feeds and line breaks are ordinary whitespace.
		expect(parseTranscript('BW:\t\t\t\t\fa\n\n\n\n\n\nb\t\t\t').blocks[0].paragraphs).toEqual(['a', 'b']);
	});

	it('rejects more than 5 MiB of text and states the limit', () => {
		expect(MAX_TRANSCRIPT_BYTES).toBe(5 * 1024 * 1024);
		const sixMiB = 'BW: ' + 'a'.repeat(6 * 1024 * 1024);
		const e = expectError(sixMiB, 'too_large');
		expect(e.message).toMatch(/5 MiB/);
	});

	it('measures the limit in UTF-8 bytes, not UTF-16 units', () => {
		// 2,000,000 euro signs: 2 M code units but 6 M bytes.
		expectError('BW: ' + '\u20ac'.repeat(2_000_000), 'too_large');
		// 1,300,000 emoji: 2.6 M code units, 5.2 M bytes (4 each), just under the limit.
		const p = parseTranscript('BW: ' + '\u{1F600}'.repeat(1_300_000));
		expect(p.blocks[0].paragraphs[0].length).toBe(2_600_000);
		expectError('BW: ' + '\u{1F600}'.repeat(1_311_000), 'too_large');
	});

	it('accepts exactly the limit', () => {
		const raw = 'BW: ' + 'a'.repeat(MAX_TRANSCRIPT_BYTES - 4);
		expect(parseTranscript(raw).blocks).toHaveLength(1);
		expectError(raw + 'a', 'too_large');
	});

	it('rejects text without speaker labels, with a helpful message', () => {
		const e = expectError('Just an article.\n\nWith two paragraphs: and a colon.', 'no_speakers');
		expect(e.message).toBe("No speaker labels found. Label each turn like 'BW: …' or 'Anneli Varga: …'.");
	});

	it('throws a proper Error subclass', () => {
		const e = expectError('', 'empty');
		expect(e).toBeInstanceOf(Error);
		expect(e.name).toBe('TranscriptError');
	});

	it('copes with many short lines and long lines quickly', () => {
		const turns = Array.from({ length: 20_000 }, (_, i) => `${i % 2 ? 'AV' : 'BW'}: turn ${i}`).join('\n');
		const start = performance.now();
		const p = parseTranscript(turns + '\n' + 'x: '.repeat(200_000));
		expect(p.blocks).toHaveLength(20_000);
		// Long runs of inner whitespace, stars and colons (inputs that make naive trim/label regexes backtrack).
		const q = parseTranscript(
			'AV: a' + ' '.repeat(300_000) + 'b' + '\t'.repeat(300_000) + 'c\n' + '**' + 'x'.repeat(500_000) + '\n' + 'A'.repeat(60) + ':'.repeat(100_000)
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
		expect(roles('Anneli Varga: I start.\nBW: Then me.')).toEqual({
			'Anneli Varga': 'interviewer',
			BW: 'interviewee'
		});
	});

	it('recognises Q and Interviewer even when they do not speak first', () => {
		expect(roles('A: answer first\nQ: question')).toEqual({ A: 'interviewee', Q: 'interviewer' });
		expect(roles('Anneli Varga: hello\nInterviewer: welcome')).toEqual({
			'Anneli Varga': 'interviewee',
			Interviewer: 'interviewer'
		});
	});

	it('gives every label a role', () => {
		const p = parseTranscript(bulletinInterview());
		expect(Object.keys(suggestRoles(p)).sort()).toEqual(p.labels.map((l) => l.label).sort());
	});
});

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
