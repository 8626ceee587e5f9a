import { describeReport, verifyArguments } from './verify.cli';

describe('npm run verify', () => {
  it('takes tree heads kept outside, and nothing else', () => {
    expect(verifyArguments([])).toEqual({ treeHeadFiles: [] });
    expect(verifyArguments(['--tree-head', 'a.txt', '--tree-head', 'b.txt'])).toEqual({ treeHeadFiles: ['a.txt', 'b.txt'] });
    expect(verifyArguments(['--tree-head'])).toEqual({ error: expect.stringContaining('--tree-head needs a file') });
    expect(verifyArguments(['--fix'])).toEqual({ error: expect.stringContaining('unknown argument --fix') });
  });

  it('prints the first broken link with its stream and revision', () => {
    const lines = describeReport({
      ok: false,
      events: 12,
      streams: 3,
      treeHeads: 2,
      accessLogEntries: 1,
      findings: [
        { kind: 'chain', streamId: 'child-b', revision: 2, detail: 'content does not match its hash' },
        { kind: 'tree-head', treeHead: '#2', detail: 'the store holds only 11' },
      ],
    });
    expect(lines[1]).toBe('BROKEN: 2 finding(s); the first: chain at stream child-b, revision 2: content does not match its hash');
    expect(describeReport({ ok: true, events: 1, streams: 1, treeHeads: 0, accessLogEntries: 0, findings: [] })[1]).toMatch(/^OK/);
  });
});
