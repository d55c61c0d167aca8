import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join, sampleChars } from '../../detect/rules/samples.js';
import { findIn } from '../../testing/find.js';

/** Confidence and judgement that vendor tokens carry beyond their rule's examples. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const one = (text: string, path?: string) => {
  const found = findIn(text, path ? { path } : {});
  assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.rule)));
  return found[0]!;
};

test('Groq: the WGdyb3FY marker makes a key high confidence; without it medium', () => {
  assert.equal(one(`GROQ_API_KEY=${join('gs', 'k_')}${sampleChars('gq1', 20)}${join('WGdy', 'b3FY')}${sampleChars('gq2', 24)}`).confidence, 'high');
  assert.equal(one(`GROQ_API_KEY=${join('gs', 'k_')}${sampleChars('gq3', 52)}`).confidence, 'medium');
});

test('Vault: prefixed tokens medium, legacy s. tokens (known by VAULT_TOKEN) low', () => {
  assert.equal(one(`VAULT_TOKEN=${join('hv', 's.')}${sampleChars('v1', 95, URLSAFE)}`).confidence, 'medium');
  const legacy = one(`VAULT_TOKEN=${join('s', '.')}${sampleChars('v2', 24)}`);
  assert.equal(legacy.confidence, 'low');
  assert.equal(legacy.details?.['tokenKind'], 'legacy service');
});

test('Discord: a bot token whose first part is not a Base64 user id is dropped', () => {
  const id = Buffer.from('1' + sampleChars('d1', 18, '0123456789')).toString('base64url');
  const good = `${id}.${sampleChars('d2', 6, URLSAFE)}.${sampleChars('d3', 38, URLSAFE)}`;
  assert.equal(one(`import discord\nbot.run("${good}")`).details?.['botUserId']?.toString().length, 19);
  const bad = `N${sampleChars('d4', 25, URLSAFE)}.${sampleChars('d5', 6, URLSAFE)}.${sampleChars('d6', 38, URLSAFE)}`;
  assert.deepEqual(findIn(`import discord\nbot.run("${bad}")`), []);
});

test('Google API key: inside a Firebase web config it is low severity (public by design)', () => {
  const key = `${join('AI', 'za')}${sampleChars('fb', 35, URLSAFE)}`;
  assert.equal(one(`const firebaseConfig = { apiKey: "${key}", authDomain: "x-1.firebaseapp.com" };`).severity, 'low');
  assert.equal(one(`genai.configure(api_key="${key}")`).severity, 'medium');
});

test('Square: an EAAA token named nowhere near Square is low confidence', () => {
  const token = `${join('EA', 'AA')}${sampleChars('sq', 60, URLSAFE)}`;
  assert.equal(one(`SQUARE_ACCESS_TOKEN=${token}`).confidence, 'medium');
  assert.equal(one(`ACCESS_TOKEN=${token}`).confidence, 'low');
});

test('Supabase: a service_role JWT is high, an anon JWT low', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = (role: string) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'supabase', ref: 'abcdefghijklmnopqrst', role, iat: 1700000000, exp: 2015000000 })}.${sampleChars(role, 43, URLSAFE)}`;
  const service = one(`SUPABASE_SERVICE_ROLE_KEY=${jwt('service_role')}`);
  assert.equal(service.title, 'Supabase service_role key');
  assert.equal(service.severity, 'high');
  assert.equal(one(`NEXT_PUBLIC_SUPABASE_ANON_KEY=${jwt('anon')}`).severity, 'low');
});

test('Hugging Face tokens are found in notebook cells and in their outputs', () => {
  const token = `${join('h', 'f_')}${sampleChars('nb', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`;
  const nb = JSON.stringify({
    cells: [
      { cell_type: 'code', source: ['from huggingface_hub import login\n', `login(token="${token}")\n`], outputs: [], metadata: {} },
      { cell_type: 'code', source: ['!env | grep HF_'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`HF_TOKEN=${token.replace(/.$/, 'Q')}\n`] }], metadata: {} },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
  const found = findIn(nb, { path: 'train.ipynb' }).filter((f) => f.rule === 'huggingface-token');
  assert.equal(found.length, 2);
});

test('database URLs: one finding per password, with the service and every host', () => {
  const f = one('MONGO_URL=mongodb://app:Rt7xQ2mLp9@mongo-0.db.svc:27017,mongo-1.db.svc:27017/orders?replicaSet=rs0');
  assert.equal(f.rule, 'basic-auth-url');
  assert.equal(f.confidence, 'medium');
  assert.equal(f.details?.['service'], 'MongoDB');
  assert.deepEqual(f.details?.['otherHosts'], ['mongo-1.db.svc:27017']);
  assert.equal(one("uri: 'mongodb+srv://svc:Kp4z@Tq9!mX2@cluster7.qx3mb.mongodb.net/app'").details?.['host'], 'cluster7.qx3mb.mongodb.net');
  assert.equal(one('url = "https://user:Wk9vQ2mLp7x@git.internal.example.org/repo.git"').confidence, 'low');
});
