import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { PageData, PageFinding } from './data.js';

/**
 * The page components of assets/components.js, on the server: the same code the HTML report
 * runs in the browser, evaluated once in a context of its own (no access to this process),
 * so the console renders grant cards and timelines exactly as the report draws them. What
 * they return is a node tree; `toHtml` writes it with every text and attribute escaped.
 */
export interface UiNode {
  t: string;
  a: Record<string, unknown>;
  c: (UiNode | string)[];
}

export interface SasquatchUI {
  toHtml(node: UiNode | string): string;
  resolve(data: PageData): PageData;
  grant(f: PageFinding, data: PageData): UiNode;
  playbook(f: PageFinding, data: PageData): UiNode | null;
  timeline(findings: PageFinding[], nowIso: string, max?: number): UiNode[];
  lineChart(points: { day: string; value: number }[], label: string): UiNode;
  sevBadge(severity: string): UiNode;
  statusBadge(status: string): UiNode;
  day(iso: string | null | undefined): string;
  bytes(n: number | null | undefined): string;
  duration(seconds: number | null | undefined): string;
}

export const COMPONENTS_JS = readFileSync(new URL('./assets/components.js', import.meta.url), 'utf8');

let ui: SasquatchUI | undefined;

export function components(): SasquatchUI {
  if (!ui) {
    const context: { SasquatchUI?: SasquatchUI } = {};
    vm.runInNewContext(COMPONENTS_JS, context, { filename: 'components.js' });
    ui = context.SasquatchUI!;
  }
  return ui;
}

/** Markup of node trees (already escaped by the serializer). */
export function markup(nodes: UiNode | UiNode[] | null): string {
  if (!nodes) return '';
  const list = Array.isArray(nodes) ? nodes : [nodes];
  return list.map((n) => components().toHtml(n)).join('');
}
