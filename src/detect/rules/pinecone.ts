import type { Rule } from '../types.js';
import { ASSIGN, UUID } from './fragments.js';
import { join, sampleChars, sampleUuid } from './samples.js';

/** Pinecone API key. */
export const pineconeKeyRule: Rule = {
  id: 'pinecone-key',
  family: 'pinecone-key',
  title: 'Pinecone API key',
  description: 'A Pinecone API key: reads, writes and deletes the vectors of every index in its project (the embeddings of private documents).',
  keywords: ['pcsk_', 'pckey_', 'pinecone'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_])(?<secret>(?:pcsk|pckey)_[A-Za-z0-9]{4,12}_[A-Za-z0-9]{40,80})(?![A-Za-z0-9_])` +
      String.raw`|[Pp][Ii][Nn][Ee][Cc][Oo][Nn][Ee][A-Za-z0-9_]*(?:\(\s*api_key\s*=\s*["']|[A-Za-z0-9_]*(?:KEY|Key|key)${ASSIGN})(?<legacy>${UUID})(?![A-Za-z0-9-])`,
    'g',
  ),
  window: { before: 64, after: 160 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'pinecone-key',
  grantSummary: 'key format (pcsk_ with its public label, or a legacy UUID named by PINECONE_API_KEY)',
  examples: [`pc = Pinecone(api_key="${join('pc', 'sk_')}${sampleChars('pc1', 5)}_${sampleChars('pc2', 63)}")`, `PINECONE_API_KEY=${sampleUuid('pc3')}`],
  negativeExamples: [`"pinecone-client": {"integrity": "sha512-${sampleChars('pc4', 40)}", "resolved": "${sampleUuid('pc5')}"}`, 'PINECONE_API_KEY=pcsk_xxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
};
