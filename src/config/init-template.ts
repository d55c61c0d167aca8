/** The commented configuration `sasquatch init` writes. Every key is shown with its default. */
export const INIT_TEMPLATE = `# sasquatch configuration — https://github.com/sasquatch-scanner/sasquatch#configuration
# Keys are checked: a typo is an error that names the key.

# Only scan paths matching these globs (empty: everything).
include: []
# Skip these (a bare name matches at any depth).
exclude:
  - node_modules
  - "**/*.min.js"

# Exit 1 when a finding is at or above this severity (critical|high|medium|low|info|never).
failOn: low
# maxFileSize: 100MB
# Accepted findings; create with \`sasquatch baseline create\`.
# baseline: .sasquatch-baseline
# Honour inline allow comments (sasquatch:allow, gitleaks:allow, trufflehog:ignore,
# pragma: allowlist secret, secretlint-disable-line). --no-inline-allow overrides.
inlineAllow: true

# Turn rules off or change their severity: see \`sasquatch rules\`.
rules: {}
#  azure-sas: { severity: critical }
#  some-rule: off

# Your own rules; every example is tested when the file is loaded.
customRules: []
#  - id: internal-api-key
#    description: Internal API keys (ikey_ + 32 characters)
#    keywords: [ikey_]
#    pattern: 'ikey_[A-Za-z0-9]{32}'
#    severity: high
#    examples: ['key = ikey_0123456789abcdefghijABCDEFGHIJ01']
#    negativeExamples: ['ikey_short']

# The link policy: a violation is a finding reason and raises the finding to at least
# violationSeverity while the link is usable.
policy:
  # Longest validity a link may have: 7d, 12h, P7D, or an Azure SAS expiration policy
  # value such as 7.00:00:00 (DD.HH:MM:SS).
  maxLifetime: 7d
  forbidKinds: [account-sas]
  forbidPermissions: []
  requireHttpsOnly: true
  requireIpRestriction: false
  allowedAccounts: []
  allowedBuckets: []
  # Per-resource rules, e.g. read-only links only for a public container:
  resources: []
  #  - container: public-models
  #    allowPermissions: [read, list]
  violationSeverity: high

# Findings accepted by configuration (counted as suppressed, never silently dropped).
allow: []
#  - path: "tests/fixtures/**"
#    reason: fixture tokens signed with the public emulator key
#  - fingerprint: 0123456789abcdef0123456789abcdef
`;
