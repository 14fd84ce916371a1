// The speaker label forms the transcript parser reads, and the lines it must not take for labels.
import { describe, expect, it } from 'vitest';
import { parseTranscript } from './transcript';
import { expectError, shape } from '../../../tests/support/transcript-assertions';

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
