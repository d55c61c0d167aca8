import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from './duration.js';

test('short forms, ISO-8601 and the Azure DD.HH:MM:SS form', () => {
  assert.equal(parseDuration('7d'), 7 * 86400);
  assert.equal(parseDuration('1d12h'), 36 * 3600);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('P7D'), 7 * 86400);
  assert.equal(parseDuration('PT12H'), 12 * 3600);
  assert.equal(parseDuration('7.00:00:00'), 7 * 86400);
  assert.equal(parseDuration('1.12:05:06'), 86400 + 12 * 3600 + 5 * 60 + 6);
  assert.equal(parseDuration('12:00:00'), 12 * 3600);
});

test('anything else is rejected', () => {
  for (const bad of ['', 'seven days', '7 fortnights', '1.25:00:00', 'P', 'PT', '-1d']) assert.equal(parseDuration(bad), null, bad);
});
