import { INCIDENT, sasQuery } from '../testing/tokens.js';
import { TestRepo } from '../testing/git-repo.js';

/**
 * The 2023 incident re-enacted as a repository, plus the shapes history scans get wrong:
 *
 *   2020-07-20  c1  main     README.md gets token A (line 5)          "Initial code commit"
 *   2021-10-06  c2  main     README.md: token A → token B (line 7)    tag v1.0 (annotated)
 *   2022-01-10  f1  feature  docs/data.md with a container SAS (line 3)
 *   2022-02-01  m   main     merge feature (--no-ff)
 *   2022-03-01  n1  main     notes.txt with another container SAS (line 2)
 *   2022-03-02  n2  main     notes.txt deleted
 *   2023-07-07  c3  main     README.md: link removed                  (HEAD of main)
 *   2023-08-01  l1  leak     config/settings.json with an account SAS (unmerged branch)
 */
export const LINKS = {
  a: INCIDENT.urlA(),
  b: INCIDENT.urlB(),
  data: `https://dataacct.blob.core.windows.net/datasets?${sasQuery({ sv: '2021-08-06', sr: 'c', sp: 'rl', se: '2030-01-01T00:00:00Z', spr: 'https' }, 'docs-data')}`,
  notes: `https://notesacct.blob.core.windows.net/shared?${sasQuery({ sv: '2021-08-06', sr: 'c', sp: 'rl', st: '2022-02-01T00:00:00Z', se: '2035-01-01T00:00:00Z', spr: 'https' }, 'notes')}`,
  leak: `https://leakacct.blob.core.windows.net/?${sasQuery({ sv: '2021-08-06', ss: 'b', srt: 'sco', sp: 'rwdl', se: '2040-01-01T00:00:00Z', spr: 'https' }, 'leak')}`,
};

/** Expiry of each link as the grant reports it: identifies a finding's link without its secret. */
export const EXPIRY = {
  a: '2021-10-05T15:06:23Z',
  b: '2051-10-06T07:09:59Z',
  data: '2030-01-01T00:00:00Z',
  notes: '2035-01-01T00:00:00Z',
  leak: '2040-01-01T00:00:00Z',
};

export interface IncidentRepo {
  repo: TestRepo;
  c: { c1: string; c2: string; f1: string; m: string; n1: string; n2: string; c3: string; l1: string };
}

export function buildIncidentRepo(): IncidentRepo {
  const repo = TestRepo.init('incident', '2020-07-20T10:00:00Z');
  repo.write('README.md', `# Robust models\n\nPretrained ImageNet models.\n\nDownload: ${LINKS.a}\n`);
  const c1 = repo.commit('2020-07-20T10:00:00Z', 'Initial code commit');
  repo.write('README.md', `# Robust models\n\nPretrained ImageNet models.\n\nRenewed on 2021-10-05.\n\nDownload: ${LINKS.b}\n`);
  const c2 = repo.commit('2021-10-06T09:00:00Z', 'renew the download link');
  repo.git('2021-10-06T09:00:00Z', 'tag', '-a', 'v1.0', '-m', 'first release');

  repo.git('2022-01-10T08:00:00Z', 'checkout', '-q', '-b', 'feature');
  repo.write('docs/data.md', `# Data\n\nDatasets: ${LINKS.data}\n`);
  const f1 = repo.commit('2022-01-10T08:00:00Z', 'document the datasets', 'Bob <bob@example.org>');
  repo.git('2022-02-01T08:00:00Z', 'checkout', '-q', 'main');
  repo.git('2022-02-01T08:00:00Z', 'merge', '-q', '--no-ff', '-m', 'Merge branch feature', 'feature');
  const m = repo.head();

  repo.write('notes.txt', `temporary\n${LINKS.notes}\n`);
  const n1 = repo.commit('2022-03-01T08:00:00Z', 'notes');
  repo.remove('notes.txt');
  const n2 = repo.commit('2022-03-02T08:00:00Z', 'drop notes');

  repo.write('README.md', '# Robust models\n\nPretrained ImageNet models.\n\nDownload: ask the maintainers.\n');
  const c3 = repo.commit('2023-07-07T12:00:00Z', 'remove the download link');

  repo.git('2023-08-01T08:00:00Z', 'checkout', '-q', '-b', 'leak');
  repo.write('config/settings.json', `{\n  "storage": "${LINKS.leak}"\n}\n`);
  const l1 = repo.commit('2023-08-01T08:00:00Z', 'settings', 'Mallory <mallory@example.org>');
  repo.git('2023-08-01T08:00:00Z', 'checkout', '-q', 'main');
  return { repo, c: { c1, c2, f1, m, n1, n2, c3, l1 } };
}
