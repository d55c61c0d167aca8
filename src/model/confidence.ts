/**
 * How sure we are that a finding is a real credential, lowest first. high: a format with a
 * checksum or a strong structure (an Azure SAS with a date-shaped `sv`, a GitHub token whose
 * checksum verifies); medium: a distinctive format without a checksum; low: known only by its
 * surroundings (a `password=` assignment, a key named by context).
 */
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.indexOf(c);
}

export function isConfidence(c: unknown): c is Confidence {
  return typeof c === 'string' && (CONFIDENCES as readonly string[]).includes(c);
}
