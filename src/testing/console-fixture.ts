import { createHash } from 'node:crypto';
import { alphabets, awsSecret, githubStyle, sampleChars } from '../detect/rules/samples.js';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import type { Db } from '../store/db.js';
import { allFindings, triageFindings, upsertFindings } from '../store/findings.js';
import { upsertRepositories } from '../store/repositories.js';
import type { TriageStatus } from '../store/types.js';
import { runCliAsync } from './cli.js';
import { TestRepo } from './git-repo.js';
import { plantedLink } from './org-fixture.js';
import { INCIDENT, sasQuery } from './tokens.js';

/**
 * A store for the console's tests, screenshots and benchmark: a real repository scanned by
 * the real CLI (so findings carry real grants, history, explanations and playbooks), then,
 * when asked, many more findings made from those across generated repositories, with first
 * sightings spread over months and triage decisions spread over time.
 */
/** Scans a small repository (`web-app`) with planted links into the store (which must not be open elsewhere). */
export async function scanDemoRepository(store: string): Promise<void> {
  const repo = TestRepo.init('web-app', '2021-03-01T00:00:00Z');
  try {
    repo.write('README.md', `# Models\n\nDownload: ${INCIDENT.urlB()}\n`);
    repo.write('deploy/old.env', `BACKUP_URL=${plantedLink('backups', '2022-06-01T00:00:00Z')}\n`);
    repo.commit('2021-03-02T10:00:00Z', 'models and backups', 'Dana <dana@example.org>');
    repo.write('train/upload.py', `CHECKPOINTS = "https://mltraining7x.blob.core.windows.net/checkpoints?${sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'racwdl', se: '2049-03-01T00:00:00Z', spr: 'https,http' }, 'console-checkpoints')}"\n`);
    repo.write('config/aws.ini', `[default]\naws_access_key_id = AKIA${sampleChars('console', 16, alphabets.BASE32)}\naws_secret_access_key = ${awsSecret('console')}\n`);
    repo.write('ci/notify.sh', `curl -H "Authorization: token ${githubStyle('ghp_', 'console')}" https://api.github.com/user\n`);
    repo.commit('2022-05-10T09:30:00Z', 'training upload and CI', 'Eli <eli@example.org>');
    // the backup link leaves the code (it stays in history, and expired)
    repo.write('deploy/old.env', 'BACKUP_URL=\n');
    repo.commit('2023-01-15T12:00:00Z', 'drop the backup link', 'Dana <dana@example.org>');
    const r = await runCliAsync(['scan', repo.dir, '--store', store, '--fail-on', 'never', '--quiet']);
    if (r.code !== 0) throw new Error(`the fixture scan failed (${r.code}): ${r.stderr}`);
  } finally {
    repo.cleanup();
  }
}

/** The real findings the store holds (after scanDemoRepository). */
export async function storedTemplates(db: Db): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of allFindings(db, {})) out.push(f.finding);
  return out;
}

const SEVERITY_MIX: readonly Severity[] = ['critical', 'high', 'high', 'medium', 'medium', 'medium', 'low', 'low', 'info', 'critical'];
const CONFIDENCE_MIX: readonly Confidence[] = ['high', 'high', 'medium', 'low'];
const DIRS = ['src', 'lib', 'scripts', 'deploy', 'notebooks', 'docs', 'config', 'test', 'infra', 'tools'];

/** A small deterministic hash: the n-th synthetic finding always looks the same. */
function h(n: number, salt: string): number {
  return createHash('sha256').update(`${salt}:${n}`).digest().readUInt32BE(0);
}

/** The n-th synthetic finding, made from one of the real ones. */
export function syntheticFinding(template: Finding, n: number, now: Date): Finding {
  const fingerprint = createHash('sha256').update(`synthetic:${n}`).digest('hex').slice(0, 32);
  const dir = DIRS[h(n, 'dir') % DIRS.length]!;
  const path = `${dir}/module${h(n, 'mod') % 300}/file${n}.${['py', 'ts', 'md', 'env', 'yaml'][n % 5]}`;
  const severity = SEVERITY_MIX[h(n, 'sev') % SEVERITY_MIX.length]!;
  const confidence = CONFIDENCE_MIX[h(n, 'conf') % CONFIDENCE_MIX.length]!;
  const introduced = new Date(now.getTime() - (30 + (h(n, 'intro') % 1500)) * 86_400_000).toISOString();
  const f: Finding = structuredClone(template);
  f.fingerprint = fingerprint;
  f.severity = severity;
  f.confidence = confidence;
  f.location = { ...f.location, path, line: 1 + (h(n, 'line') % 400), column: 1 + (h(n, 'col') % 60), date: introduced };
  if (f.grant) {
    // expiries from two years ago to thirty years ahead: some expired, most still valid
    const days = (h(n, 'exp') % 11_680) - 730;
    const expiry = new Date(now.getTime() + days * 86_400_000);
    f.grant = { ...f.grant, expiry: expiry.toISOString(), expired: expiry < now };
  }
  if (f.history) {
    const present = h(n, 'present') % 3 !== 0;
    f.history = { ...f.history, introduced: { ...f.history.introduced, date: introduced }, presentAtHead: present, removed: present ? null : { commit: 'e'.repeat(40), date: now.toISOString() }, occurrences: [] };
  }
  return f;
}

export interface SeedOptions {
  /** Synthetic findings to add. */
  count: number;
  /** Generated repositories to spread them over. */
  repositories: number;
  now?: Date;
  /** Share of the synthetic findings given a triage decision (0..1). */
  triaged?: number;
  /** First sightings spread over this many days before now. */
  spreadDays?: number;
}

const DECISIONS: readonly [TriageStatus, string][] = [
  ['fixed', 'removed and rotated'],
  ['false-positive', 'test fixture'],
  ['accepted-risk', 'read-only public data'],
  ['revoked', 'account key rotated'],
];
const PEOPLE = ['alice', 'bob', 'carol', 'dana'];

/** Adds synthetic findings made from the templates; returns their fingerprints. */
export async function seedSynthetic(db: Db, templates: readonly Finding[], opts: SeedOptions): Promise<string[]> {
  if (!templates.length) throw new Error('no template findings: scan the demo repository first');
  const now = opts.now ?? new Date();
  const urls = Array.from({ length: opts.repositories }, (_, i) => `https://git.example/acme/service-${String(i).padStart(3, '0')}.git`);
  const ids = await upsertRepositories(
    db,
    urls.map((url, i) => ({ url, source: 'github', owner: 'acme', name: `acme/service-${String(i).padStart(3, '0')}`, defaultBranch: 'main', visibility: i % 4 ? 'private' : 'public' })),
  );
  const byRepo = new Map<number, Finding[]>();
  const all: string[] = [];
  for (let n = 0; n < opts.count; n++) {
    const f = syntheticFinding(templates[n % templates.length]!, n, now);
    // a few repositories hold many findings, most hold a few
    const r = ids.get(urls[Math.floor(((h(n, 'repo') % 10_000) / 10_000) ** 2 * urls.length)]!)!;
    if (!byRepo.has(r)) byRepo.set(r, []);
    byRepo.get(r)!.push(f);
    all.push(f.fingerprint);
  }
  for (const [repo, list] of byRepo) {
    for (let i = 0; i < list.length; i += 2000) await upsertFindings(db, repo, list.slice(i, i + 2000));
  }
  const spread = opts.spreadDays ?? 120;
  // first sightings over the last months (a store filled by scans over time)
  await db.query(
    `UPDATE findings SET first_seen = $1::timestamptz - ((('x' || substr(fingerprint, 1, 6))::bit(24)::int % $2) * interval '1 day'), last_seen = $1::timestamptz
     WHERE fingerprint IN (SELECT jsonb_array_elements_text($3::jsonb))`,
    [now.toISOString(), spread, JSON.stringify(all)],
  );
  const share = opts.triaged ?? 0.3;
  const groups = new Map<number, string[]>();
  all.forEach((fp, n) => {
    if ((h(n, 'triage') % 1000) / 1000 >= share) return;
    const k = h(n, 'decision') % (DECISIONS.length * PEOPLE.length);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(fp);
  });
  for (const [k, fps] of groups) {
    const [status, note] = DECISIONS[k % DECISIONS.length]!;
    await db.transaction((tx) => triageFindings(tx, fps, { status, note, actor: PEOPLE[Math.floor(k / DECISIONS.length)]! }));
  }
  // decisions made after each finding was first seen, spread up to now
  await db.query(
    `UPDATE triage_events e SET at = f.first_seen + ($2::timestamptz - f.first_seen) * ((('x' || substr(e.fingerprint, 7, 4))::bit(16)::int % 100) / 100.0)
     FROM findings f WHERE f.fingerprint = e.fingerprint AND e.fingerprint IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(all), now.toISOString()],
  );
  await db.query(`UPDATE findings f SET status_at = e.at FROM triage_events e WHERE e.fingerprint = f.fingerprint AND f.fingerprint IN (SELECT jsonb_array_elements_text($1::jsonb))`, [JSON.stringify(all)]);
  return all;
}
