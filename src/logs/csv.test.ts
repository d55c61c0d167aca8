import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvRows, looksLikeLogAnalyticsCsv, splitCsvRecord, type CsvEvent } from './csv.js';

function feed(text: string): (CsvEvent | null)[] {
  const rows = new CsvRows();
  const lines = text.split(/\r?\n/);
  const out = lines.map((l, i) => rows.push(l, i + 1));
  out.push(rows.end());
  return out.filter((e) => e !== null);
}

describe('Log Analytics CSV', () => {
  it('recognises an export by its header', () => {
    assert.ok(looksLikeLogAnalyticsCsv('TimeGenerated [UTC],AccountName,OperationName'));
    assert.ok(looksLikeLogAnalyticsCsv('"TimeGenerated [UTC]","AccountName"'));
    assert.ok(!looksLikeLogAnalyticsCsv('time,op'));
  });

  it('splits RFC 4180 records: quotes, doubled quotes, empty fields', () => {
    assert.deepEqual(splitCsvRecord('a,"b,c","say ""hi""",,"",x'), ['a', 'b,c', 'say "hi"', '', '', 'x']);
    assert.deepEqual(splitCsvRecord('"a\nb",c'), ['a\nb', 'c']);
    assert.deepEqual(splitCsvRecord('"open,c'), { error: 'field 1: quoted field is not closed' });
    assert.deepEqual(splitCsvRecord('"a"b,c'), { error: 'field 1: text after the closing quote' });
  });

  it('names fields by the header (zone suffix and BOM removed), across multi-line records', () => {
    const events = feed('\uFEFFTimeGenerated [UTC],UserAgentHeader,ResponseBodySize\r\n"6/23/2023, 8:15:30.250 AM","line one\nline two",10\r\n\r\n2023-06-23T08:16:00Z,"a ""b""",20\r\n');
    assert.deepEqual(events, [
      { line: 2, row: { TimeGenerated: '6/23/2023, 8:15:30.250 AM', UserAgentHeader: 'line one\nline two', ResponseBodySize: '10' } },
      { line: 5, row: { TimeGenerated: '2023-06-23T08:16:00Z', UserAgentHeader: 'a "b"', ResponseBodySize: '20' } },
    ]);
  });

  it('reports rows with the wrong number of fields and a quote left open at the end', () => {
    const events = feed('TimeGenerated,A,B\nx,y\nx,y,z\n"open,y,z\nmore');
    assert.deepEqual(events, [
      { line: 2, error: '2 fields where the header has 3' },
      { line: 3, row: { TimeGenerated: 'x', A: 'y', B: 'z' } },
      { line: 4, error: 'quoted field not closed at end of file' },
    ]);
  });

  it('warns when the export used local time', () => {
    const rows = new CsvRows();
    rows.push('TimeGenerated [Local Time],A', 1);
    assert.deepEqual(rows.warnings, ['time columns are in local time; they were read as UTC']);
  });
});
