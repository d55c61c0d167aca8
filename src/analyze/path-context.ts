/**
 * What kind of place a path is: tests, test fixtures, documentation, examples, or third-party
 * code installed into the tree. A match that is known only by its surroundings (a generic
 * rule, low confidence) is most often sample data in such places, so it is ranked below the
 * failing threshold there; a finding with a checksum or a strong structure is not affected.
 *
 * Judged from the path alone (directory names and file names, archive members included:
 * `release.tar.gz!pkg/tests/x`), case-insensitively.
 */
export type PathContext = 'test' | 'fixture' | 'docs' | 'example' | 'vendor';

const DIRS: [PathContext, RegExp][] = [
  ['vendor', /^(?:node_modules|bower_components|jspm_packages|vendor|vendored|third[-_]?party|site-packages|dist-packages|\.yarn|\.pnpm-store|pods|carthage)$/],
  ['fixture', /^(?:fixtures?|__fixtures__|testdata|test[-_]data|test[-_]?fixtures|__snapshots__|snapshots|mocks?|__mocks__|stubs?|golden|testfiles|test[-_]?resources)$/],
  ['test', /^(?:tests?|__tests__|spec|specs|testing|e2e|integration[-_]?tests?|unit[-_]?tests?|t|testsuite|test[-_]?suite|tst)$/],
  ['example', /^(?:examples?|samples?|demos?|tutorials?|quickstarts?|playground|starter|templates?)$/],
  ['docs', /^(?:docs?|documentation|man|manpages?|wiki|website|guides?|handbook|_posts)$/],
];

const FILES: [PathContext, RegExp][] = [
  // *_test.go, test_x.py, x_test.py, x.test.ts, x.spec.js, XTest.java, XTests.cs, x_spec.rb, conftest.py
  ['test', /(?:_test\.(?:go|py|rb|exs?|rs|c|cc|cpp|dart)|^test_[^/]*\.py|\.(?:test|spec|e2e)\.[cm]?[jt]sx?|(?:Test|Tests|Spec|IT)\.(?:java|kt|scala|groovy|cs|swift|php)|_spec\.rb|^conftest\.py)$/i],
  ['fixture', /\.(?:snap|golden)$|\.(?:fixture|mock)\.[a-z]+$/i],
  ['example', /\.(?:example|sample|template|dist|tmpl|tpl)$|[._-](?:example|sample|template)\.[a-z0-9]+$/i],
  // Markdown, reStructuredText, AsciiDoc, man pages (`curl.1`)
  ['docs', /\.(?:md|mdx|markdown|rst|adoc|asciidoc|textile|rdoc|pod|[1-9][a-z]?)$|^(?:readme|changelog|changes|history|news|faq|contributing|todo)(?:\.[a-z]+)?$/i],
];

export function pathContext(path: string): PathContext | null {
  const segments = path.split(/[!/\\]/).filter(Boolean);
  const file = segments.pop() ?? '';
  for (const dir of segments) {
    const d = dir.toLowerCase();
    for (const [context, re] of DIRS) if (re.test(d)) return context;
  }
  for (const [context, re] of FILES) if (re.test(file)) return context;
  return null;
}

/**
 * Some directory of the path is where a package manager installs third-party code
 * (`…/node_modules/…`, `site-packages`). Used for a scan's own root, so only names no one
 * gives their own project directory (not `vendor` or `third_party`).
 */
export function insideVendor(path: string): boolean {
  return path.split(/[!/\\]/).some((d) => /^(?:node_modules|bower_components|jspm_packages|site-packages|dist-packages|\.pnpm-store)$/.test(d.toLowerCase()));
}

const DESCRIPTION: Record<PathContext, string> = {
  test: 'test code',
  fixture: 'test fixtures',
  docs: 'documentation',
  example: 'examples and templates',
  vendor: 'third-party code installed into the tree',
};

export function describeContext(context: PathContext): string {
  return DESCRIPTION[context];
}
