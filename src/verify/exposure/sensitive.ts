import type { SensitiveCategory } from '../../model/verification.js';

/**
 * Sensitive objects by name and type, from a listing only (nothing is downloaded). The
 * categories follow what leaked storage has held in practice: workstation backups and disk
 * images, private keys, .env and credential files, chat exports, databases, and pickled model
 * checkpoints that run code when loaded (with write access: a supply-chain risk).
 */
export interface SensitiveMatch {
  category: SensitiveCategory;
  reason: string;
}

interface Rule {
  category: SensitiveCategory;
  test: (base: string, path: string) => boolean;
  reason: string;
}

const ext = (...exts: string[]) => {
  const re = new RegExp(`\\.(?:${exts.map((e) => e.replace(/\./g, '\\.')).join('|')})$`, 'i');
  return (base: string) => re.test(base);
};
const name = (re: RegExp) => (base: string) => re.test(base);
const HOME_OR_BACKUP = /(?:^|[\/_.-])(?:home|users?|profiles?|desktop|documents|backups?|bkp|workstation|laptop|pc|snapshot|dump|archive)(?:[\/_.-]|\d|$)/i;

const RULES: Rule[] = [
  { category: 'disk-image', test: ext('vhd', 'vhdx', 'vmdk', 'qcow2', 'ova', 'vdi', 'avhd', 'avhdx'), reason: 'virtual disk image: a whole machine, with its credentials and caches' },
  { category: 'mailbox', test: ext('pst', 'ost', 'mbox', 'olm'), reason: 'mailbox file: e-mail, contacts and attachments' },
  { category: 'backup', test: ext('bak', 'bkf', 'backup', 'tib', 'wim', 'bacpac', 'dmp'), reason: 'backup file' },
  {
    category: 'archive',
    test: (base, path) => /\.(?:zip|tar|tgz|tar\.gz|tar\.bz2|tar\.xz|7z|rar)$/i.test(base) && HOME_OR_BACKUP.test(path),
    reason: 'archive of a home directory or backup',
  },
  { category: 'private-key', test: name(/^id_(?:rsa|dsa|ecdsa|ed25519)(?:_[\w-]+)?$/i), reason: 'SSH private key' },
  { category: 'private-key', test: ext('pem', 'key', 'ppk', 'p12', 'pfx', 'jks', 'keystore', 'p8', 'pkcs12', 'gpg', 'kdbx', 'asc'), reason: 'private key, keystore or password database' },
  { category: 'certificate', test: ext('crt', 'cer', 'der', 'p7b', 'csr'), reason: 'certificate (often stored next to its private key)' },
  { category: 'env', test: name(/^\.env(?:\..+)?$|\.env$/i), reason: '.env file: application secrets' },
  {
    category: 'credentials',
    test: name(/^(?:credentials(?:\.json|\.csv|\.xml|\.txt)?|\.git-credentials|\.netrc|_netrc|\.npmrc|\.pypirc|\.pgpass|\.htpasswd|\.s3cfg|\.boto|\.dockercfg|secrets?\.(?:json|ya?ml|txt|xml|env)|service[-_]?account.*\.json|.*credentials?.*\.(?:json|csv|txt|xml|ya?ml)|.*password.*\.(?:txt|csv|xlsx?|docx?|json)|accesskeys?\.csv|.*_accesskeys\.csv|kubeconfig|terraform\.tfstate(?:\.backup)?|.*\.tfstate)$/i),
    reason: 'credentials file',
  },
  {
    category: 'config',
    test: (base, path) => /^(?:web\.config|appsettings(?:\.[\w-]+)?\.json|app\.config|wp-config\.php|settings\.py|application(?:-[\w]+)?\.(?:properties|ya?ml)|config\.json|\.dockerconfigjson|config)$/i.test(base) && (base.toLowerCase() !== 'config' || /(?:^|\/)\.(?:kube|docker|ssh|aws)\//i.test(path)),
    reason: 'configuration file (often holds connection strings and keys)',
  },
  {
    category: 'chat-export',
    test: (base, path) => /\.(?:json|html?|csv|txt|zip|xml)$/i.test(base) && /(?:teams|slack|chat|messages?|conversations?|whatsapp|telegram|discord)(?:[\/_.-]|$)/i.test(path),
    reason: 'chat or message export',
  },
  { category: 'chat-export', test: ext('msg', 'eml'), reason: 'saved e-mail message' },
  { category: 'database', test: ext('sqlite', 'sqlite3', 'db', 'mdb', 'accdb', 'mdf', 'ldf', 'ndf', 'sql', 'sql.gz', 'dump', 'frm', 'ibd', 'dbf', 'realm'), reason: 'database or database dump' },
  { category: 'model-checkpoint', test: ext('pt', 'pth', 'ckpt', 'pkl', 'pickle', 'joblib', 'npy', 'npz'), reason: 'pickled model or checkpoint: loading it runs code from the file' },
  { category: 'model-checkpoint', test: ext('safetensors', 'onnx', 'h5', 'hdf5', 'keras', 'gguf', 'ggml', 'tflite', 'mar'), reason: 'model weights' },
];

export function classifyObject(path: string): SensitiveMatch | null {
  const base = path.split('/').pop() ?? path;
  // `id_rsa.pub` and `cert.pem.pub` are public halves, not secrets.
  if (/\.pub$/i.test(base)) return null;
  for (const r of RULES) if (r.test(base, path)) return { category: r.category, reason: r.reason };
  return null;
}

/** Pickle-based formats execute code on load: with write access, replacing one is a supply-chain attack. */
export function isPickleLike(path: string): boolean {
  return /\.(?:pt|pth|ckpt|pkl|pickle|joblib|bin|npy)$/i.test(path);
}
