// Recall against other scanners' public examples: `npm run bench:peer-recall [-- options]`
// (not part of npm test; needs `npm run build` first, which the npm script does).
//
// Reads the true-positive and false-positive examples of two peer scanners from their git
// repositories (bare mirrors or clones, read with `git show HEAD:…`):
//   gitleaks     cmd/generate/config/rules/*.go: `tps` / `fps` passed to utils.Validate, often
//                composed at run time (utils.GenerateSampleSecrets, secrets.NewSecret(regex)).
//                A tiny Go-expression evaluator reproduces them; secrets.NewSecret(regex) is
//                reproduced by generating a string from that regex with a seeded PRNG (same
//                prefix, length and alphabet; different characters from gitleaks' own run).
//   Nosey Parker crates/noseyparker/data/default/builtin/rules/*.yml: `examples` and
//                `negative_examples`, used verbatim.
// Only peer rules mapped below to a family sasquatch claims are counted. Each example is run
// through detect → analyze (dist/testing/find.js, as a scan would) twice: at default settings
// (found = a finding of a mapped family above info) and with examples included (--all: found =
// any finding of a mapped family, info included). Negative examples count as false positives
// when anything is reported above info (a negative that is another peer rule's positive of the
// same family is a credential, and is left out of that count).
//
//   --gitleaks <git-dir>     default /work/.mirror/gitleaks+gitleaks/repo
//   --noseyparker <git-dir>  default /work/.mirror/praetorian-inc+noseyparker/repo
//   --misses                 print every missed example (and every false positive)
//   --family <f>             only this family (repeatable)
//   --json <file>            write per-family counts and misses as JSON
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { findIn } = await import(path.join(root, 'dist', 'testing', 'find.js'));

// ---- peer rule id → sasquatch families (a match of any of them counts) -------------------
const GENERIC = ['generic-secret', 'basic-auth-url', 'database-connection-string'];
const GITLEAKS_MAP = {
  'anthropic-api-key': ['anthropic-key'],
  'anthropic-admin-api-key': ['anthropic-key'],
  'aws-access-token': ['aws-access-key'],
  'azure-ad-client-secret': ['azure-entra-client-secret'],
  'cloudflare-global-api-key': ['cloudflare-token'],
  'cloudflare-api-key': ['cloudflare-token'],
  'cloudflare-origin-ca-key': ['cloudflare-token'],
  'cohere-api-token': ['cohere-key'],
  'databricks-api-token': ['databricks-token'],
  'datadog-access-token': ['datadog-key'],
  'digitalocean-pat': ['digitalocean-token'],
  'digitalocean-access-token': ['digitalocean-token'],
  'digitalocean-refresh-token': ['digitalocean-token'],
  'discord-api-token': ['discord-token'],
  'gcp-service-account': ['gcp-service-account-key'],
  'gcp-api-key': ['google-api-key'],
  'generic-api-key': GENERIC,
  'github-pat': ['github-token'],
  'github-fine-grained-pat': ['github-token'],
  'github-oauth': ['github-token'],
  'github-app-token': ['github-token'],
  'github-refresh-token': ['github-token'],
  'gitlab-cicd-job-token': ['gitlab-token'],
  'gitlab-deploy-token': ['gitlab-token'],
  'gitlab-feature-flag-client-token': ['gitlab-token'],
  'gitlab-feed-token': ['gitlab-token'],
  'gitlab-incoming-mail-token': ['gitlab-token'],
  'gitlab-kubernetes-agent-token': ['gitlab-token'],
  'gitlab-oauth-app-secret': ['gitlab-token'],
  'gitlab-pat': ['gitlab-token'],
  'gitlab-pat-routable': ['gitlab-token'],
  'gitlab-ptt': ['gitlab-token'],
  'gitlab-rrt': ['gitlab-token'],
  'gitlab-runner-authentication-token': ['gitlab-token'],
  'gitlab-runner-authentication-token-routable': ['gitlab-token'],
  'gitlab-scim-token': ['gitlab-token'],
  'hashicorp-tf-api-token': ['terraform-cloud-token'],
  'vault-service-token': ['vault-token'],
  'vault-batch-token': ['vault-token'],
  'heroku-api-key': ['heroku-api-key'],
  'heroku-api-key-v2': ['heroku-api-key'],
  'huggingface-access-token': ['huggingface-token'],
  'huggingface-organization-api-token': ['huggingface-token'],
  jwt: ['jwt'],
  'jwt-base64': ['jwt'],
  'mailgun-private-api-token': ['mailgun-key'],
  'mailgun-pub-key': ['mailgun-key'],
  'mailgun-signing-key': ['mailgun-key'],
  'npm-access-token': ['npm-token'],
  'okta-access-token': ['okta-token'],
  'openai-api-key': ['openai-key'],
  'private-key': ['private-key'],
  'pypi-upload-token': ['pypi-token'],
  'sendgrid-api-token': ['sendgrid-key'],
  'sentry-access-token': ['sentry-token'],
  'sentry-org-token': ['sentry-token'],
  'sentry-user-token': ['sentry-token'],
  'shopify-shared-secret': ['shopify-token'],
  'shopify-access-token': ['shopify-token'],
  'shopify-custom-access-token': ['shopify-token'],
  'shopify-private-app-access-token': ['shopify-token'],
  'slack-bot-token': ['slack-token'],
  'slack-user-token': ['slack-token'],
  'slack-app-token': ['slack-token'],
  'slack-config-access-token': ['slack-token'],
  'slack-config-refresh-token': ['slack-token'],
  'slack-legacy-bot-token': ['slack-token'],
  'slack-legacy-workspace-token': ['slack-token'],
  'slack-legacy-token': ['slack-token'],
  'slack-webhook-url': ['slack-webhook'],
  'square-access-token': ['square-token'],
  'square-secret': ['square-token'],
  'stripe-access-token': ['stripe-key'],
  'telegram-bot-api-token': ['telegram-bot-token'],
  'twilio-api-key': ['twilio-key'],
};
const NOSEYPARKER_MAP = {
  'np.anthropic.1': ['anthropic-key'],
  'np.aws.1': ['aws-access-key'],
  'np.aws.2': ['aws-access-key'],
  'np.aws.4': ['aws-session-token'],
  'np.aws.6': ['aws-access-key'],
  'np.azure.1': ['azure-storage', 'azure-shared-access-key'],
  'np.azure.2': ['azure-access-key'],
  'np.azure.3': ['azure-devops-pat'],
  'np.azure.4': ['azure-devops-pat'],
  'np.databricks.1': ['databricks-token'],
  'np.digitalocean.1': ['digitalocean-token'],
  'np.digitalocean.2': ['digitalocean-token'],
  'np.digitalocean.3': ['digitalocean-token'],
  'np.dockerhub.1': ['docker-hub-token'],
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].map((n) => [`np.generic.${n}`, GENERIC])),
  'np.github.1': ['github-token'],
  'np.github.2': ['github-token'],
  'np.github.3': ['github-token'],
  'np.github.4': ['github-token'],
  'np.github.7': ['github-token'],
  'np.gitlab.1': ['gitlab-token'],
  'np.gitlab.2': ['gitlab-token'],
  'np.gitlab.3': ['gitlab-token'],
  'np.google.5': ['google-api-key'],
  'np.groq.1': ['groq-key'],
  'np.hashicorp.1': ['vault-token'],
  'np.hashicorp.2': ['vault-token'],
  'np.hashicorp.3': ['vault-token'],
  'np.hashicorp.4': ['vault-token'],
  'np.hashicorp.5': ['vault-token'],
  'np.hashicorp.6': ['vault-token'],
  'np.heroku.1': ['heroku-api-key'],
  'np.http.1': ['basic-auth-url'],
  'np.huggingface.1': ['huggingface-token'],
  'np.jwt.1': ['jwt'],
  'np.mailgun.1': ['mailgun-key'],
  'np.mongodb.1': ['database-connection-string', 'basic-auth-url'],
  'np.postgres.1': ['database-connection-string', 'basic-auth-url'],
  'np.odbc.1': ['database-connection-string'],
  'np.npm.1': ['npm-token'],
  'np.okta.1': ['okta-token'],
  'np.openai.1': ['openai-key'],
  'np.pem.1': ['private-key'],
  'np.pem.2': ['private-key'],
  'np.pypi.1': ['pypi-token'],
  'np.sendgrid.1': ['sendgrid-key'],
  'np.shopify.2': ['shopify-token'],
  'np.shopify.3': ['shopify-token'],
  'np.shopify.4': ['shopify-token'],
  'np.shopify.5': ['shopify-token'],
  'np.slack.2': ['slack-token'],
  'np.slack.4': ['slack-token'],
  'np.slack.5': ['slack-token'],
  'np.slack.6': ['slack-token'],
  'np.slack.3': ['slack-webhook'],
  'np.square.1': ['square-token'],
  'np.square.2': ['square-token'],
  'np.stripe.1': ['stripe-key'],
  'np.stripe.2': ['stripe-key'],
  'np.telegram.1': ['telegram-bot-token'],
  'np.twilio.1': ['twilio-key'],
};

function parseArgs(argv) {
  const a = {
    gitleaks: '/work/.mirror/gitleaks+gitleaks/repo',
    noseyparker: '/work/.mirror/praetorian-inc+noseyparker/repo',
    misses: false,
    families: [],
    json: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--gitleaks') a.gitleaks = next();
    else if (k === '--noseyparker') a.noseyparker = next();
    else if (k === '--misses') a.misses = true;
    else if (k === '--family') a.families.push(next());
    else if (k === '--json') a.json = path.resolve(next());
    else throw new Error(`unknown option ${k}`);
  }
  return a;
}

function git(gitDir, ...args) {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

function listFiles(gitDir, dir, ext) {
  return git(gitDir, 'ls-tree', '--name-only', 'HEAD', `${dir}/`)
    .split('\n')
    .filter((f) => f.endsWith(ext));
}

// ---- deterministic PRNG (mulberry32) ------------------------------------------------------
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function seedOf(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

// ---- string from a (Go RE2) regex: what secrets.NewSecret does (reggen, limit 1) ----------
const CLASS = {
  d: '0123456789',
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  s: ' ',
};
function generateFromRegex(src, rand) {
  let i = 0;
  const pick = (s) => s[Math.floor(rand() * s.length)];
  const escaped = () => {
    const c = src[i++];
    if (CLASS[c]) return { set: CLASS[c] };
    if (c === 'x') {
      const hex = src.slice(i, i + 2);
      i += 2;
      return { set: String.fromCharCode(parseInt(hex, 16)) };
    }
    if (c === 'n') return { set: '\n' };
    if (c === 'r') return { set: '\r' };
    if (c === 't') return { set: '\t' };
    if (c === 'b' || c === 'B' || c === 'A' || c === 'z') return { set: '' };
    return { set: c };
  };
  const charClass = () => {
    let negate = false;
    if (src[i] === '^') {
      negate = true;
      i++;
    }
    let set = '';
    let first = true;
    while (i < src.length && (src[i] !== ']' || first)) {
      first = false;
      let lo;
      if (src[i] === '\\') {
        i++;
        lo = escaped().set;
        if (lo.length !== 1) {
          set += lo;
          continue;
        }
      } else lo = src[i++];
      if (src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        i++;
        let hi = src[i++];
        if (hi === '\\') hi = escaped().set;
        for (let c = lo.charCodeAt(0); c <= hi.charCodeAt(0); c++) set += String.fromCharCode(c);
      } else set += lo;
    }
    i++; // ]
    if (negate) {
      let all = '';
      for (let c = 33; c < 127; c++) if (!set.includes(String.fromCharCode(c))) all += String.fromCharCode(c);
      set = all;
    }
    return set;
  };
  const alternation = () => {
    const branches = [sequence()];
    while (src[i] === '|') {
      i++;
      branches.push(sequence());
    }
    return branches[Math.floor(rand() * branches.length)];
  };
  const sequence = () => {
    let out = '';
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      let atom;
      const c = src[i++];
      if (c === '(') {
        if (src[i] === '?') {
          // (?:…), (?i), (?i:…), (?P<name>…)
          i++;
          if (src[i] === 'P' || src[i] === '<') {
            while (src[i] !== '>') i++;
            i++;
          } else {
            while (src[i] !== ':' && src[i] !== ')') i++;
            if (src[i] === ')') {
              i++;
              continue; // a flag group like (?i)
            }
            i++;
          }
        }
        const start = i;
        alternation(); // advance once to find the end; generate per repetition below
        const body = src.slice(start, i);
        i++; // )
        atom = () => generateFromRegex(body, rand);
      } else if (c === '[') {
        const set = charClass();
        atom = () => pick(set);
      } else if (c === '\\') {
        const { set } = escaped();
        atom = () => (set.length ? pick(set) : '');
      } else if (c === '.') atom = () => pick(CLASS.w);
      else if (c === '^' || c === '$') atom = () => '';
      else atom = () => c;
      let min = 1;
      let max = 1;
      if (src[i] === '{') {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(src.slice(i));
        if (m) {
          i += m[0].length;
          min = Number(m[1] || 0);
          max = m[2] ? (m[3] ? Number(m[3]) : min + 1) : min;
        }
      } else if (src[i] === '?') {
        i++;
        min = 0;
        max = 1;
      } else if (src[i] === '*') {
        i++;
        min = 0;
        max = 1;
      } else if (src[i] === '+') {
        i++;
        min = 1;
        max = 2;
      }
      if (src[i] === '?') i++; // lazy
      const n = min + Math.floor(rand() * (max - min + 1));
      for (let k = 0; k < n; k++) out += atom();
    }
    return out;
  };
  return alternation();
}

// ---- a tiny evaluator for the Go expressions that build gitleaks' examples ----------------
function tokenize(src) {
  const toks = [];
  let i = 0;
  let line = 0;
  const push = toks.push.bind(toks);
  toks.push = (tk) => push({ ...tk, line });
  while (i < src.length) {
    if (src[i] === '\n') line++;
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (src.startsWith('//', i)) while (i < src.length && src[i] !== '\n') i++;
    else if (src.startsWith('/*', i)) i = src.indexOf('*/', i + 2) + 2;
    else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      toks.push({ t: 'str', v: src.slice(i + 1, j) });
      line += src.slice(i, j).split('\n').length - 1;
      i = j + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      toks.push({ t: 'str', v: unquoteGo(src.slice(i + 1, j)) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      toks.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(src.slice(i));
      toks.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else {
      const op = ['...', ':=', '==', '!='].find((o) => src.startsWith(o, i)) ?? c;
      toks.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return toks;
}
function unquoteGo(s) {
  return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, e) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" }[e] ?? e;
  });
}

const SAMPLE_FORMS = [
  '{i}Token="{s}"', '{i}Token = "{s}"', '{i}Token={s}', '{i}Token = {s}', '{\n    "{i}_token": "{s}"\n}',
  '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}', '<{i}Token>\n    {s}\n</{i}Token>', '{i}_token: {s}',
  "{i}_token: '{s}'", '{i}_token: "{s}"', 'string {i}Token = "{s}";', 'var {i}Token string = "{s}"', '{i}Token := "{s}"',
  '{i}Token := `{s}`', 'String {i}Token = "{s}";', 'var {i}Token = "{s}"', '${i}Token .= "{s}"', "{i}Token = '{s}'",
  '{i}Token = "{s}"', 'System.setProperty("{I}_TOKEN", "{s}")', '  "{i}Token" => "{s}"', '{i}_TOKEN = "{s}"',
  '{i}_TOKEN := "{s}"', '{i}_TOKEN ::= "{s}"', '{i}_TOKEN :::= "{s}"', '{i}_TOKEN ?= "{s}"',
];
const sampleSecrets = (id, s) => SAMPLE_FORMS.map((f) => f.replaceAll('{i}', id).replaceAll('{I}', id.toUpperCase()).replaceAll('{s}', s));
const regexHelpers = {
  Numeric: (n) => `[0-9]{${n}}`,
  Hex: (n) => `[a-f0-9]{${n}}`,
  AlphaNumeric: (n) => `[a-z0-9]{${n}}`,
  AlphaNumericExtendedShort: (n) => `[a-z0-9_-]{${n}}`,
  AlphaNumericExtended: (n) => `[a-z0-9=_\\-]{${n}}`,
  AlphaNumericExtendedLong: (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
  Hex8_4_4_4_12: () => '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
};

class Unsupported extends Error {}

/** Evaluates one Go function body's assignments; returns its variables (strings, lists, maps). */
function evalGoFunction(body, rand, note) {
  const toks = tokenize(body);
  const vars = new Map();
  let p = 0;
  const peek = (k = 0) => toks[p + k];
  const eat = (v) => {
    if (toks[p]?.v !== v) throw new Unsupported(`expected ${v}, got ${toks[p]?.v}`);
    p++;
  };
  const args = () => {
    eat('(');
    const out = [];
    while (peek().v !== ')') {
      const v = expr();
      if (peek().v === '...') {
        p++;
        out.push(...v);
      } else out.push(v);
      if (peek().v === ',') p++;
    }
    eat(')');
    return out;
  };
  const primary = () => {
    const tk = toks[p++];
    if (!tk) throw new Unsupported('end of input');
    if (tk.t === 'str') return tk.v;
    if (tk.t === 'num') return tk.v;
    if (tk.t === 'op' && tk.v === '(') {
      const v = expr();
      eat(')');
      return v;
    }
    if (tk.t === 'op' && tk.v === '[') {
      // []string{…} or map literal
      eat(']');
      p++; // string, byte
      if (peek().v === '(') return args()[0]; // []byte(x): a conversion
      return compositeList();
    }
    if (tk.t === 'id' && tk.v === 'map') {
      eat('[');
      p++;
      eat(']');
      p++;
      return compositeMap();
    }
    if (tk.t === 'id' && tk.v === 'nil') return [];
    if (tk.t === 'id' && tk.v === 'append') {
      const a = args();
      if (!Array.isArray(a[0])) throw new Unsupported('append to a value not read');
      return [...a[0], ...a.slice(1)];
    }
    if (tk.t === 'id' && (tk.v === 'b64' || tk.v === 'base64') && peek(1)?.v === 'StdEncoding') {
      p += 4; // . StdEncoding . EncodeToString
      return Buffer.from(args()[0], 'latin1').toString('base64');
    }
    if (tk.t === 'id' && tk.v === 'newPlausibleSecret') return call('secrets', 'NewSecret', args());
    if (tk.t === 'id' && peek()?.v === '.') {
      p++;
      const fn = toks[p++].v;
      const a = args();
      return call(tk.v, fn, a);
    }
    if (tk.t === 'id' && vars.has(tk.v)) {
      const v = vars.get(tk.v);
      if (v instanceof Unsupported) throw v;
      return v;
    }
    throw new Unsupported(`unknown ${tk.v}`);
  };
  const call = (pkg, fn, a) => {
    if (pkg === 'utils' && fn === 'GenerateSampleSecrets') return sampleSecrets(a[0], a[1]);
    if (pkg === 'utils' && fn === 'GenerateSampleSecret') return `${a[0]}_api_token = "${a[1]}"`;
    if (pkg === 'utils' && regexHelpers[fn]) return regexHelpers[fn](a[0]);
    if (pkg === 'secrets' && fn === 'NewSecret') {
      note(a[0]);
      return generateFromRegex(a[0], rand);
    }
    if (pkg === 'fmt' && fn === 'Sprintf') {
      let k = 1;
      return a[0].replace(/%[sdvq]/g, (m) => (m === '%q' ? JSON.stringify(a[k++]) : String(a[k++])));
    }
    if (pkg === 'strings' && fn === 'ToUpper') return a[0].toUpperCase();
    if (pkg === 'strings' && fn === 'ToLower') return a[0].toLowerCase();
    if (pkg === 'strings' && fn === 'Repeat') return a[0].repeat(a[1]);
    if (pkg === 'b64' && fn === 'StdEncoding') throw new Unsupported('base64');
    throw new Unsupported(`${pkg}.${fn}`);
  };
  const compositeList = () => {
    eat('{');
    const out = [];
    while (peek().v !== '}') {
      out.push(expr());
      if (peek().v === ',') p++;
    }
    eat('}');
    return out;
  };
  const compositeMap = () => {
    eat('{');
    const out = [];
    while (peek().v !== '}') {
      expr();
      eat(':');
      out.push(expr());
      if (peek().v === ',') p++;
    }
    eat('}');
    return out;
  };
  const expr = () => {
    let v = primary();
    while (peek()?.v === '+') {
      p++;
      v = String(v) + String(primary());
    }
    return v;
  };
  // after an expression it cannot read: skip to the end of the statement (brackets balanced)
  const skipStatement = (start) => {
    let q = start;
    let depth = 0;
    while (q < toks.length) {
      const v = toks[q].t === 'op' ? toks[q].v : '';
      if ('([{'.includes(v) && v) depth++;
      if (')]}'.includes(v) && v) depth--;
      q++;
      if (depth <= 0 && (q >= toks.length || toks[q].line > toks[q - 1].line)) break;
    }
    return q;
  };
  const result = { vars, validate: null };
  while (p < toks.length) {
    const tk = peek();
    // NAME := expr | NAME = expr | var NAME = expr
    const at = tk.v === 'var' ? 1 : 0;
    const name = peek(at);
    const op = peek(at + 1);
    if (name?.t === 'id' && (op?.v === ':=' || op?.v === '=') && !(peek(at + 2)?.v === 'config')) {
      p += at + 2;
      const start = p;
      try {
        vars.set(name.v, expr());
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        vars.set(name.v, new Unsupported(e.message));
        p = skipStatement(start);
      }
      continue;
    }
    if (tk.t === 'id' && tk.v === 'utils' && peek(1)?.v === '.' && /^Validate/.test(peek(2)?.v ?? '')) {
      p += 3;
      eat('(');
      p++; // r
      eat(',');
      const names = [];
      while (peek().v !== ')') {
        names.push(peek().t === 'id' ? peek().v : null);
        p++;
        if (peek().v === ',') p++;
      }
      result.validate = names;
    }
    p++;
  }
  return result;
}

function gitleaksExamples(gitDir) {
  const out = [];
  const synthesized = new Map();
  const failed = [];
  for (const file of listFiles(gitDir, 'cmd/generate/config/rules', '.go')) {
    const text = git(gitDir, 'show', `HEAD:${file}`);
    // one rule per top-level func; its body runs to the next "\n}\n"
    // package-level `var name = …` lists some rules share (cloudflare's keys)
    const globals = [...text.matchAll(/^var \w+ = (?:\[\]string\{[\s\S]*?\n\}|["`].*)$/gm)].map((g) => g[0]).join('\n');
    for (const m of text.matchAll(/\nfunc ([A-Za-z0-9_]+)\(\) \*config\.Rule \{\n([\s\S]*?)\n\}\n/g)) {
      const body = m[2];
      const id = /RuleID:\s*"([^"]+)"/.exec(body)?.[1];
      if (!id) continue;
      const map = GITLEAKS_MAP[id];
      if (!map) continue;
      const rand = prng(seedOf(id));
      const regexes = [];
      let r;
      try {
        r = evalGoFunction(globals + '\n' + body.replace(/config\.Rule\{[\s\S]*?\n\t\}\n/, 'nil\n'), rand, (re) => regexes.push(re));
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e;
        failed.push(`${id}: ${e.message}`);
        continue;
      }
      if (regexes.length) synthesized.set(id, [...new Set(regexes)]);
      const [tpName, fpName] = r.validate ?? [];
      for (const [kind, name] of [['positive', tpName], ['negative', fpName]]) {
        if (!name || name === 'nil') continue;
        const v = r.vars.get(name);
        if (v instanceof Unsupported || v === undefined) {
          failed.push(`${id} ${kind}: ${v?.message ?? 'not evaluated'}`);
          continue;
        }
        for (const text of v) out.push({ peer: 'gitleaks', rule: id, families: map, kind, text });
      }
    }
  }
  return { examples: out, synthesized, failed };
}

function noseyparkerExamples(gitDir) {
  const out = [];
  for (const file of listFiles(gitDir, 'crates/noseyparker/data/default/builtin/rules', '.yml')) {
    const doc = YAML.parse(git(gitDir, 'show', `HEAD:${file}`));
    for (const rule of doc.rules ?? []) {
      const map = NOSEYPARKER_MAP[rule.id];
      if (!map) continue;
      for (const text of rule.examples ?? []) out.push({ peer: 'noseyparker', rule: rule.id, families: map, kind: 'positive', text });
      for (const text of rule.negative_examples ?? []) out.push({ peer: 'noseyparker', rule: rule.id, families: map, kind: 'negative', text });
    }
  }
  return out;
}

function judge(ex) {
  const opts = { path: 'app/settings.txt' };
  const def = findIn(ex.text, opts);
  const all = findIn(ex.text, { ...opts, includeExamples: true });
  const ours = (f) => ex.families.includes(f.family);
  return {
    foundDefault: def.some((f) => ours(f) && f.severity !== 'info'),
    foundAll: all.some(ours),
    aboveInfo: def.filter((f) => f.severity !== 'info').map((f) => f.rule),
    other: [...new Set(all.filter((f) => !ours(f)).map((f) => `${f.rule}/${f.severity}`))],
  };
}

const args = parseArgs(process.argv.slice(2));
const gl = gitleaksExamples(args.gitleaks);
const all = [...gl.examples, ...noseyparkerExamples(args.noseyparker)];
// A peer's negative for one rule is often a positive of a sibling rule of the same family
// (Cloudflare's global keys are negatives of its API-token rule; a Slack user token is a
// negative of the bot-token rule). Those are credentials, not false positives: counted apart.
const positivesByFamily = new Map();
for (const ex of all) {
  if (ex.kind !== 'positive') continue;
  for (const f of ex.families) positivesByFamily.set(f, [...(positivesByFamily.get(f) ?? []), ex.text]);
}
const crossListed = (ex) => ex.families.some((f) => (positivesByFamily.get(f) ?? []).some((p) => p.includes(ex.text.trim()) || ex.text.includes(p.trim())));
const families = new Map();
const misses = [];
const falsePositives = [];
let crossListedNegatives = 0;
for (const ex of all) {
  const fam = ex.families[0] === GENERIC[0] && ex.families.length > 1 ? 'generic (secret/url/db)' : ex.families.join('|');
  if (args.families.length && !ex.families.some((f) => args.families.includes(f))) continue;
  const row = families.get(fam) ?? { examples: 0, foundDefault: 0, foundAll: 0, negatives: 0, falsePositives: 0 };
  families.set(fam, row);
  const j = judge(ex);
  if (ex.kind === 'positive') {
    row.examples++;
    if (j.foundDefault) row.foundDefault++;
    if (j.foundAll) row.foundAll++;
    if (!j.foundDefault) misses.push({ family: fam, peer: ex.peer, rule: ex.rule, foundAll: j.foundAll, other: j.other, text: ex.text });
  } else if (crossListed(ex)) {
    crossListedNegatives++;
  } else {
    row.negatives++;
    if (j.aboveInfo.length) {
      row.falsePositives++;
      falsePositives.push({ family: fam, peer: ex.peer, rule: ex.rule, reported: j.aboveInfo, text: ex.text });
    }
  }
}

const pct = (a, b) => (b ? (a / b).toFixed(3) : '  -  ');
const rows = [...families.entries()].sort((a, b) => a[0].localeCompare(b[0]));
console.log(`${'family'.padEnd(40)} ${'ex'.padStart(4)} ${'dflt'.padStart(5)} ${'all'.padStart(5)} ${'miss'.padStart(5)}  recall(dflt/all)   neg  FP`);
const tot = { examples: 0, foundDefault: 0, foundAll: 0, negatives: 0, falsePositives: 0 };
for (const [fam, r] of rows) {
  for (const k of Object.keys(tot)) tot[k] += r[k];
  console.log(
    `${fam.padEnd(40)} ${String(r.examples).padStart(4)} ${String(r.foundDefault).padStart(5)} ${String(r.foundAll).padStart(5)} ${String(r.examples - r.foundDefault).padStart(5)}  ${pct(r.foundDefault, r.examples)} / ${pct(r.foundAll, r.examples)}   ${String(r.negatives).padStart(4)} ${String(r.falsePositives).padStart(3)}`,
  );
}
console.log(
  `${'TOTAL'.padEnd(40)} ${String(tot.examples).padStart(4)} ${String(tot.foundDefault).padStart(5)} ${String(tot.foundAll).padStart(5)} ${String(tot.examples - tot.foundDefault).padStart(5)}  ${pct(tot.foundDefault, tot.examples)} / ${pct(tot.foundAll, tot.examples)}   ${String(tot.negatives).padStart(4)} ${String(tot.falsePositives).padStart(3)}`,
);
const macro = rows.filter(([, r]) => r.examples);
console.log(`family-averaged recall: default ${pct(macro.reduce((s, [, r]) => s + r.foundDefault / r.examples, 0), macro.length)}, all ${pct(macro.reduce((s, [, r]) => s + r.foundAll / r.examples, 0), macro.length)}`);
console.log(`negatives that are another rule's positive of the same family (not counted): ${crossListedNegatives}`);
console.log(`\nsynthesized (gitleaks secrets.NewSecret, seeded PRNG): ${[...gl.synthesized.keys()].join(', ')}`);
if (gl.failed.length) console.log(`not evaluated (Go the evaluator does not read): ${gl.failed.join('; ')}`);
if (args.misses) {
  console.log('\nmisses (not found above info at default; [all] = found with examples included):');
  for (const m of misses) console.log(`- ${m.family} ${m.peer}:${m.rule}${m.foundAll ? ' [all]' : ''}${m.other.length ? ` other=${m.other.join(',')}` : ''}\n    ${JSON.stringify(m.text).slice(0, 400)}`);
  console.log('\nfalse positives on negative examples:');
  for (const f of falsePositives) console.log(`- ${f.family} ${f.peer}:${f.rule} → ${f.reported.join(',')}\n    ${JSON.stringify(f.text).slice(0, 400)}`);
}
if (args.json) writeFileSync(args.json, JSON.stringify({ families: Object.fromEntries(families), total: tot, misses, falsePositives }, null, 2));
