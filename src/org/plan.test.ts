import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { progressBar, renderRunStatus } from '../report/org-status.js';
import type { RunStatus } from '../store/scans.js';
import { markerUnchanged } from './plan.js';

describe('planning: when the listing alone says "nothing pushed since"', () => {
  const at = new Date('2024-05-01T12:00:00Z');
  it('the same last-push time, safely older than the listing that recorded it', () => {
    assert.equal(markerUnchanged({ scannedMarker: '2024-05-01T11:00:00Z', scannedMarkerAt: at }, '2024-05-01T11:00:00Z'), true);
  });
  it('not when it changed, was never recorded, or was within 2 s of that listing (a push in the same second could hide)', () => {
    assert.equal(markerUnchanged({ scannedMarker: '2024-05-01T11:00:00Z', scannedMarkerAt: at }, '2024-05-01T11:30:00Z'), false);
    assert.equal(markerUnchanged({ scannedMarker: null, scannedMarkerAt: null }, '2024-05-01T11:00:00Z'), false);
    assert.equal(markerUnchanged({ scannedMarker: '2024-05-01T11:59:59Z', scannedMarkerAt: at }, '2024-05-01T11:59:59Z'), false);
    assert.equal(markerUnchanged({ scannedMarker: 'not a date', scannedMarkerAt: at }, 'not a date'), false);
    assert.equal(markerUnchanged({ scannedMarker: '2024-05-01T11:00:00Z', scannedMarkerAt: at }, null), false);
  });
});

describe('org status as text', () => {
  const status: RunStatus = {
    run: { id: 7, spec: 'github:acme', startedAt: new Date('2024-05-01T12:00:00Z'), listed: 5, queued: 4, unchanged: 1, notices: [] },
    scans: { queued: 1, running: 1, done: 1, failed: 1 },
    throughput: { seconds: 30, commits: 120, blobs: 400, bytes: 3 * 1024 * 1024, knownBlobs: 50, reposPerMinute: 4, bytesPerSecond: 104857.6 },
    failed: [{ repository: 'acme/broken', error: 'cannot clone …: 500', attempts: 3 }],
    running: [{ repository: 'acme/big', since: new Date('2024-05-01T12:00:10Z'), attempts: 2 }],
    findings: { total: 3, bySeverity: { critical: 1, high: 2, medium: 0, low: 0, info: 0 }, byStatus: { open: 3 } },
  };
  it('states by repository, throughput, failures with their errors, findings by severity', () => {
    const text = renderRunStatus(status, { color: false, store: 'x' });
    assert.match(text, /repositories: 1 queued, 1 running, 1 done, 1 failed \(of 4\)/);
    assert.match(text, /\[#{20}\.{20}\] 2\/4/);
    assert.match(text, /throughput: 4\.0 repositories\/min, 102\.4 KiB\/s; 120 commits, 400 blobs read \(3\.00 MiB\), 50 blobs already scanned elsewhere/);
    assert.match(text, /failed \(1\):\n {4}acme\/broken: cannot clone …: 500 \(3 attempts\)/);
    assert.match(text, /running: acme\/big since 2024-05-01T12:00:10\.000Z \(attempt 2\)/);
    assert.match(text, /Open findings: 3 \(1 critical, 2 high, 0 medium, 0 low, 0 info\)/);
    assert.equal(progressBar({ ...status, scans: { queued: 0, running: 0, done: 0, failed: 0 } }, 4), '[####] 0/0');
  });
});
